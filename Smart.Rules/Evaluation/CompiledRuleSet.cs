using Smart.Rules.RuleSets;

namespace Smart.Rules.Evaluation;

/// <summary>
/// A rule set ready to run: its parameters resolved into one value array per period between two dated changes, its
/// rules compiled once. Immutable and shared by every thread; compiled once per version of the file.
/// </summary>
public sealed class CompiledRuleSet
{
    internal CompiledRuleSet(RuleSetFile file, string path, string[] parameterNames, ParameterPeriod[] periods,
        CompiledGlobal[] globals, CompiledRule[] rules, int slotCount, int firstParameterSlot)
    {
        File = file;
        Path = path;
        ParameterNames = parameterNames;
        Periods = [.. periods.Select(p => p.For(file.Id, parameterNames))];
        Globals = globals;
        Rules = rules;
        SlotCount = slotCount;
        FirstParameterSlot = firstParameterSlot;
        FirstHolding = RuleSelector.For(rules);
        // Built once: the evaluator names the rule set on every document it reads (used sets, trace, unconfirmed values).
        Id = file.Id;
        Used = new(Id, Version, ValidFrom);
        LegalForms = file.Entries.ToDictionary(e => e.Code, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in file.Entries.Where(e => e.Elf is not null)) LegalForms.TryAdd(entry.Elf!, entry);
    }

    public RuleSetFile File { get; }
    /// <summary>Where it was loaded from.</summary>
    public string Path { get; }
    public string Id { get; }
    public string Topic => File.Topic;
    public string Version => File.Version;
    public DateOnly ValidFrom => File.ValidFrom;
    public DateOnly? ValidTo => File.ValidTo;
    internal string[] ParameterNames { get; }
    internal ParameterPeriod[] Periods { get; }
    internal CompiledGlobal[] Globals { get; }
    internal CompiledRule[] Rules { get; }
    internal int SlotCount { get; }
    internal int FirstParameterSlot { get; }
    /// <summary>The index of the first rule whose condition holds (-1: none), in one call; null where the rules are tried one by one.</summary>
    internal Func<object[], int>? FirstHolding { get; }
    internal Dictionary<string, LegalFormEntry> LegalForms { get; }

    public RuleSetUsed Used { get; private set; }

    /// <summary>The store's published version this set was compiled from, if it came from the store.</summary>
    public RuleSetPublication? Publication { get; private set; }

    /// <summary>Names the published version in <see cref="Used"/>; called by the book once, right after compiling, before the set is shared.</summary>
    internal void Stamp(RuleSetPublication? publication)
    {
        if (publication is null) return;
        Publication = publication;
        Used = Used with { StoreVersion = publication.StoreVersion, Published = publication.PublishedAtUtc };
    }

    public bool CoversDate(DateOnly date) => date >= ValidFrom && (ValidTo is null || date <= ValidTo);

    internal ParameterPeriod PeriodOn(DateOnly date)
    {
        // Few periods per file (a change a year at most): a backwards scan beats a binary search here.
        for (var i = Periods.Length - 1; i > 0; i--)
            if (Periods[i].From <= date) return Periods[i];
        return Periods[0];
    }

    /// <summary>The value of a named parameter on a date, for pages that show a parameter's timeline.</summary>
    public object? ValueOn(string parameter, DateOnly date)
    {
        var index = Array.IndexOf(ParameterNames, parameter);
        return index < 0 ? null : PeriodOn(date).Values[index];
    }
}

/// <summary>The parameter values in force from <see cref="From"/> until the next period.</summary>
internal sealed record ParameterPeriod(DateOnly From, object?[] Values, DatedValue[] Sources)
{
    /// <summary>
    /// What an evaluation reports for each parameter whose value here is not yet confirmed law (null where it is): built once
    /// per period rather than per document, which is safe since the record is immutable.
    /// </summary>
    public UnconfirmedValue?[] Unconfirmed { get; private init; } = [];

    public ParameterPeriod For(string rulesetId, string[] names) => this with
    {
        Unconfirmed = [.. Sources.Select((dated, i) => dated is { Unconfirmed: true } ? new UnconfirmedValue(rulesetId, names[i], dated.From, dated.Note) : null)],
    };
}

internal sealed record CompiledGlobal(string Name, int Slot, CompiledExpression Expression);

internal sealed record CompiledLocal(string Name, int Slot, CompiledExpression Expression);

internal sealed record CompiledRule(
    string Name,
    string? Event,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    CompiledLocal[] Locals,
    CompiledExpression Condition,
    CompiledExpression? Output,
    string? MentionParameter,
    LegalSource? Source,
    int[] ParameterSlots)
{
    /// <summary>A VAT rule's e-invoice codes: UNCL 5305 category, VATEX code, FatturaPA Natura; the reason text is a text parameter (by default the mention).</summary>
    public string? VatCategory { get; init; }
    public string? VatExemptionCode { get; init; }
    public string? Natura { get; init; }
    public string? ExemptionReasonParameter { get; init; }

    /// <summary>Where the mention and the exemption reason sit among the rule set's parameters (-1: none), found at load, not by name per line.</summary>
    public int MentionIndex { get; init; } = -1;
    public int ExemptionReasonIndex { get; init; } = -1;

    /// <summary>Built once at load, so tracing a fired rule allocates no text.</summary>
    public string Detail { get; } = Event is null ? Name : $"{Name} → {Event}";
    public string? SourceText { get; } = Source?.ToString();

    public bool ConditionReadsLocals { get; } = Locals.Any(local => Condition.Slots.Contains(local.Slot));

    /// <summary>What the trace shows for this rule, in order: parameters read, global and local params, then its value.</summary>
    public string[] TraceNames { get; init; } = [];

    public bool InForceOn(DateOnly date) => !Dated || ((ValidFrom is null || date >= ValidFrom) && (ValidTo is null || date <= ValidTo));

    /// <summary>Most rules apply on every date of their rule set: they skip the two date comparisons per line.</summary>
    public bool Dated { get; } = ValidFrom is not null || ValidTo is not null;

    /// <summary>
    /// Where each result the evaluator reads (a local param, else a global param) sits in the argument array, indexed by
    /// <see cref="NamedResult"/>, -1 where the rule has none: found once at load. Set by the loader, which knows the globals.
    /// </summary>
    public int[] ResultSlots { get; init; } = [];

    public int SlotOf(NamedResult result) => ResultSlots[(int)result];

    /// <summary>
    /// The rule's local params then its output, in one delegate whose locals stay unboxed: <see cref="Body"/> stores in the
    /// argument array only the named results, <see cref="TracedBody"/> every local (the trace shows them). Null for a rule
    /// without locals, or whose condition reads one (its locals run before the condition, one by one).
    /// </summary>
    public Func<object[], object?>? Body { get; init; }
    public Func<object[], object?>? TracedBody { get; init; }
}
