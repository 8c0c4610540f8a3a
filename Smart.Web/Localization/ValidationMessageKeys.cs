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

    /// <summary>Sets the type's key as the message of an attribute that has none.</summary>
    public static void GiveKey(ValidationAttribute attribute)
    {
        if (attribute.ErrorMessage is null && attribute.ErrorMessageResourceType is null && Keys.Contains(attribute.GetType().Name))
            attribute.ErrorMessage = attribute.GetType().Name;
    }
}
