using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Smart.Rules.Evaluation;

namespace Smart.Web.Api;

/// <summary>
/// Describes the evaluation API's fields in /openapi/v1.json where the document generator cannot see it: the lists of values come from the
/// engine's own constants (a kind of work it learns is described at once), the descriptions say what the rules do with a field.
/// </summary>
public sealed class EvaluationSchemas : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<(Type Type, string Property), (string Description, IReadOnlyCollection<string>? Values, string? Pattern)> Fields = new()
    {
        [(typeof(InvoiceLine), "category")] = ("What the line is: the rules of VAT, contribution and author rights depend on it.", Categories.All, null),
        [(typeof(InvoiceLine), "workKind")] = ("The kind of work an author-rights line concerns, where the law treats kinds apart (Belgian VAT excludes software "
            + "and advertising from the reduced rate; Dutch VAT exempts only literary, journalistic, comics and musical works); absent when not said.", WorkKinds.All, null),
        [(typeof(InvoiceLine), "performedIn")] = ("Where a performance or a training is physically given (ISO 3166-1 alpha-2): to a client that is not a taxable "
            + "person it is supplied there (directive 2006/112/EC art. 54); the issuer's country when absent.", null, "^[A-Za-z]{2}$"),
        [(typeof(ClientInfo), "kind")] = ("Who the client is.", ClientKinds.All, null),
        [(typeof(MemberInfo), "authorRightsYearToDate")] = ("The member's author rights of the year before this document, in the country's currency.", null, null),
        [(typeof(MemberInfo), "professionalIncomeYearToDate")] = ("The member's professional income of the year before this document (pay for the work, "
            + "not author rights), where a rule caps author rights as a share of the whole pay (Belgium's 70/30 rule, art. 551 CIR); 0 when absent.", null, null),
        [(typeof(ContractDocument), "jobCategory")] = ("The worker's category in the employment rules.", JobCategories.All, null),
        [(typeof(AuthorRightsResult), "aboveShareCap")] = ("The part of the author rights above the share of the whole pay the regime allows as author "
            + "rights (Belgium's 70/30 rule): professional income, outside the withholding, the lump sum and the ceiling. 0 where there is no such cap.", null, null),
        [(typeof(LatePaymentTerms), "penaltyCap")] = ("The most a penalty clause may claim on this invoice (Belgium: Book XIX CDE for consumers); "
            + "null where no cap applies.", null, null),
        [(typeof(StampDutyResult), "amount")] = ("The duty, 0 when not due.", null, null),
        [(typeof(StampDutyResult), "base")] = ("The amount the duty was decided on: the nets of the lines bearing no VAT.", null, null),
        [(typeof(StampDutyResult), "mention")] = ("The annotation the invoice carries for the duty (also among the mentions); null when none.", null, null),
    };

    private static readonly Dictionary<Type, string> Types = new()
    {
        [typeof(StampDutyResult)] = "A stamp duty the invoice bears (Italy's €2 bollo on amounts without VAT above €77.47); the result's stampDuty is null where "
            + "the country has no stamp-duty rule set.",
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (Types.TryGetValue(type, out var about)) schema.Description = about;
        if (schema.Properties is null) return Task.CompletedTask;
        foreach (var (name, property) in schema.Properties)
        {
            if (!Fields.TryGetValue((type, name), out var field) || property is not OpenApiSchema described) continue;
            described.Description = field.Description;
            if (field.Values is { } values)
            {
                described.Enum = [.. values.Order(StringComparer.Ordinal).Select(v => (JsonNode)JsonValue.Create(v))];
                // A field that may be null keeps null among its values, or a validator would refuse "workKind": null.
                if (described.Type is { } kinds && kinds.HasFlag(JsonSchemaType.Null)) described.Enum.Add(null!);
            }
            if (field.Pattern is { } pattern) described.Pattern = pattern;
        }
        return Task.CompletedTask;
    }
}
