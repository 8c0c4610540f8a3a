using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using RulesEngine.Models;

namespace Smart.Rules.RuleSets;

/// <summary>
/// One rule file as written: identity, dated parameters, a stock RulesEngine workflow, legal sources and tests.
/// The shape is fixed by ruleset.schema.json; this type only maps it.
/// </summary>
public sealed class RuleSetFile
{
    public string Country { get; set; } = "";
    public string Topic { get; set; } = "";
    public string Version { get; set; } = "";
    public string Description { get; set; } = "";
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public Dictionary<string, ParameterDefinition> Parameters { get; set; } = [];
    public Workflow Workflow { get; set; } = new();
    public Dictionary<string, LegalSource> RuleSources { get; set; } = [];
    public List<LegalFormEntry> Entries { get; set; } = [];
    /// <summary>The expense categories a claim may name (expenses topic), with their names per language.</summary>
    public List<ExpenseCategory> Categories { get; set; } = [];
    public List<RuleSetTest> Tests { get; set; } = [];

    public string Id => $"{Country.ToLowerInvariant()}/{Topic}";
}

public sealed class ParameterDefinition
{
    public string Description { get; set; } = "";
    /// <summary>rate | amount | days | text | count</summary>
    public string Unit { get; set; } = "";
    public LegalSource Source { get; set; } = new();
    public List<DatedValue> Values { get; set; } = [];
    /// <summary>The range a partner administrator may set without changing rule logic.</summary>
    public ValueBounds? Bounds { get; set; }
}

public sealed class DatedValue
{
    public DateOnly From { get; set; }
    public JToken? Value { get; set; }
    /// <summary>Not yet published law (a ceiling awaiting the official journal): evaluations that use it say so.</summary>
    public bool Unconfirmed { get; set; }
    public string? Note { get; set; }
    public LegalSource? Source { get; set; }
}

public sealed class ValueBounds
{
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }
}

public sealed class LegalSource
{
    public string Title { get; set; } = "";
    public string? Article { get; set; }
    public string? Url { get; set; }

    public override string ToString() => string.Join(", ", new[] { Title, Article, Url }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>A legal form a client or entity can have in the country (legal-forms topic).</summary>
public sealed class LegalFormEntry
{
    public string Code { get; set; } = "";
    /// <summary>ISO 20275 Entity Legal Form code.</summary>
    public string? Elf { get; set; }
    public Dictionary<string, string> Names { get; set; } = [];
    public bool VatRegistered { get; set; }
    public bool PublicBody { get; set; }
    public bool NonProfit { get; set; }
    public string? ReplacedBy { get; set; }
    public LegalSource? Source { get; set; }
}

/// <summary>An expense category a claim may name (expenses topic): its code, what its amount comes from, its names.</summary>
public sealed class ExpenseCategory
{
    public string Code { get; set; } = "";
    /// <summary>receipt | mileage | per-diem</summary>
    public string Kind { get; set; } = "";
    /// <summary>By language code (en, fr, nl…); pages show the user's language, else English.</summary>
    public Dictionary<string, string> Names { get; set; } = [];

    /// <summary>The name in a language (en, fr, nl…), else English, else the code.</summary>
    public string NameIn(string language) =>
        Names.GetValueOrDefault(language) ?? Names.GetValueOrDefault("en") ?? Code;
}

/// <summary>An example a compliance officer writes next to the rules: an input document and what must come out.</summary>
public sealed class RuleSetTest
{
    public string Name { get; set; } = "";
    /// <summary>invoice | contract | expense | legal-form</summary>
    public string Kind { get; set; } = "invoice";
    public JObject Input { get; set; } = [];
    public JObject Expect { get; set; } = [];
}

internal static class RuleSetJson
{
    public static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        MissingMemberHandling = MissingMemberHandling.Ignore,
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Decimal,
    });

    public static readonly JsonLoadSettings LoadSettings = new()
    {
        LineInfoHandling = LineInfoHandling.Load,
        CommentHandling = CommentHandling.Ignore,
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
    };
}
