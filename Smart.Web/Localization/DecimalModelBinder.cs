using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace Smart.Web.Localization;

/// <summary>Binds every decimal a form posts through <see cref="DecimalText"/>, with its errors in the user's language naming the field.</summary>
public sealed class DecimalModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(decimal) && context.BindingInfo.BindingSource != BindingSource.Body
            ? new DecimalModelBinder()
            : null;
}

public sealed class DecimalModelBinder : IModelBinder
{
    private static readonly object RefusedKey = new();

    /// <summary>The fields of this request (model names, e.g. "Data.Lines[0].UnitPrice") whose number could not be read.</summary>
    public static IReadOnlySet<string> Refused(HttpContext context) =>
        context.Items.TryGetValue(RefusedKey, out var refused) ? (HashSet<string>)refused! : [];

    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var posted = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (posted == ValueProviderResult.None) return Task.CompletedTask;
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, posted);
        var text = posted.FirstValue;
        var nullable = Nullable.GetUnderlyingType(bindingContext.ModelType) is not null;
        if (string.IsNullOrWhiteSpace(text))
        {
            // Empty: no value for an optional number; a required one is reported by its [Required] or, without, here.
            if (nullable) bindingContext.Result = ModelBindingResult.Success(null);
            else Refuse(bindingContext, "A number is required for {0}.", text);
            return Task.CompletedTask;
        }
        switch (DecimalText.TryParse(text, out var value))
        {
            case DecimalText.Problem.None:
                bindingContext.Result = ModelBindingResult.Success(value);
                break;
            case DecimalText.Problem.Ambiguous:
                Refuse(bindingContext, "'{1}' in {0} can be read two ways: write {2} for thousands, or {3} for decimals.", text,
                    text.Replace(".", "", StringComparison.Ordinal).Trim(), text.Replace('.', ',').Trim());
                break;
            default:
                Refuse(bindingContext, "'{1}' is not a number: {0} takes digits, with a comma or a point for decimals (e.g. 1234,50).", text);
                break;
        }
        return Task.CompletedTask;
    }

    private static void Refuse(ModelBindingContext context, string message, string? text, params string[] more)
    {
        if (!context.HttpContext.Items.TryGetValue(RefusedKey, out var refused)) context.HttpContext.Items[RefusedKey] = refused = new HashSet<string>(StringComparer.Ordinal);
        ((HashSet<string>)refused!).Add(context.ModelName);
        var services = context.HttpContext.RequestServices;
        var texts = services.GetRequiredService<IStringLocalizer<SharedResource>>();
        // The field's name as its label shows it, in the user's language (the data-annotations localizer gives it).
        var field = context.ModelMetadata.GetDisplayName();
        object[] arguments = [field, text ?? "", .. more];
        context.ModelState.TryAddModelError(context.ModelName, string.Format(CultureInfo.CurrentCulture, texts[message].Value, arguments));
    }
}
