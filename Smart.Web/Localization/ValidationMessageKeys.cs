using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Smart.Web.Localization;

/// <summary>
/// Gives a validation attribute without a message of its own the key of its type ("RequiredAttribute"), whose text
/// <see cref="SharedResource"/> holds in each language. MVC translates only attributes that carry a message, so
/// without this its messages would stay English while the validation behaviour's are translated.
/// </summary>
public sealed class ValidationMessageKeys : IValidationMetadataProvider
{
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(RequiredAttribute), nameof(EmailAddressAttribute), nameof(StringLengthAttribute), nameof(MaxLengthAttribute),
        nameof(MinLengthAttribute), nameof(RangeAttribute), nameof(RegularExpressionAttribute),
    };

    public void CreateValidationMetadata(ValidationMetadataProviderContext context)
    {
        foreach (var attribute in context.ValidationMetadata.ValidatorMetadata.OfType<ValidationAttribute>())
            GiveKey(attribute);
    }

    /// <summary>Sets the type's key as the message of an attribute that has none of its own.</summary>
    public static void GiveKey(ValidationAttribute attribute)
    {
        var type = attribute.GetType();
        if (attribute.ErrorMessageResourceType is null && Keys.Contains(type.Name)
            && (attribute.ErrorMessage is null || attribute.ErrorMessage == BuiltInMessages.GetOrAdd(type, BuiltInMessageOf)))
            attribute.ErrorMessage = type.Name;
    }

    // Some attributes (EmailAddress) report their built-in English text as ErrorMessage, so "none of its own" means either.
    private static readonly ConcurrentDictionary<Type, string?> BuiltInMessages = new();

    private static string? BuiltInMessageOf(Type type) =>
        type.GetConstructor(Type.EmptyTypes) is { } constructor ? ((ValidationAttribute)constructor.Invoke(null)).ErrorMessage : null;
}
