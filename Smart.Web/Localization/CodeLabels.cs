using Microsoft.Extensions.Localization;

namespace Smart.Web.Localization;

/// <summary>
/// The name, in the user's language, of a code the documents share (a line category, a VAT treatment, a client kind, a job
/// category): <see cref="SharedResource"/> holds them as "category:author-rights", "treatment:reduced"… A code that has no name
/// there (a country's own, from its rule file) is shown as it is stored.
/// </summary>
public static class CodeLabels
{
    public const string Category = "category", Treatment = "treatment", ClientKind = "clientKind", JobCategory = "jobCategory", Topic = "topic";

    public static string Label(this IStringLocalizer texts, string kind, string? code) =>
        code is null ? "" : texts[$"{kind}:{code}"] is { ResourceNotFound: false } text ? text.Value : code;
}
