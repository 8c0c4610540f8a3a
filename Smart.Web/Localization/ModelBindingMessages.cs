using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Smart.Web.Localization;

/// <summary>
/// The framework's own model-binding messages ("The value 'abc' is not valid for Start date.") in the user's language: each
/// accessor reads its English text as a key of <see cref="SharedResource"/> when the message is made, so in the request's culture.
/// </summary>
public static class ModelBindingMessages
{
    public static IServiceCollection AddModelBindingMessages(this IServiceCollection services)
    {
        services.AddOptions<MvcOptions>().Configure<IStringLocalizerFactory>((options, factory) =>
        {
            var texts = factory.Create(typeof(SharedResource));
            var messages = options.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((value, field) => texts["The value '{0}' is not valid for {1}.", value, field]);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => texts["The value '{0}' is not valid.", value]);
            messages.SetUnknownValueIsInvalidAccessor(field => texts["The value given for {0} is not valid.", field]);
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => texts["The value given is not valid."]);
            messages.SetValueIsInvalidAccessor(value => texts["The value '{0}' is not valid.", value]);
            messages.SetValueMustNotBeNullAccessor(value => texts["A value is required for {0}.", value]);
            messages.SetValueMustBeANumberAccessor(field => texts["{0} must be a number.", field]);
            messages.SetNonPropertyValueMustBeANumberAccessor(() => texts["This field must be a number."]);
            messages.SetMissingBindRequiredValueAccessor(field => texts["A value is required for {0}.", field]);
            messages.SetMissingKeyOrValueAccessor(() => texts["A value is required."]);
            messages.SetMissingRequestBodyRequiredValueAccessor(() => texts["A value is required."]);
        });
        return services;
    }
}
