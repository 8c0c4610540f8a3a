using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Evaluation;

public sealed partial class DocumentEvaluator
{
    /// <summary>One evaluation's working state: what it used, fired and must print.</summary>
    private sealed class Run(PluginManifest manifest, DateOnly date, bool explain, int lines = 0, int slots = 0) : IDisposable
    {
        // The argument array goes back to its thread when the evaluation ends: rules never keep it (expressions are
        // pure, the trace copies what it shows), and each evaluation writes every slot it reads before reading it.
        [ThreadStatic] private static object?[]? spare;

        // Without a trace nothing a rule gives outlives the evaluation but numbers and texts, so the facts objects go back to the thread
        // too, for its next document; with one, a trace value could be a facts object, so each evaluation has its own.
        [ThreadStatic] private static FactObjects? spareFacts;
        private FactObjects? pooled;
        private FactObjects? Pooled => explain ? null : pooled ??= TakeFacts();

        private static FactObjects TakeFacts()
        {
            var facts = spareFacts ?? new FactObjects();
            spareFacts = null;
            return facts;
        }

        public DocumentFacts NewDocumentFacts() => Pooled?.Doc.Reset() ?? new DocumentFacts();
        public LineFacts NewLineFacts() => Pooled?.Line.Reset() ?? new LineFacts();
        public ClientFacts NewClientFacts() => Pooled?.Client.Reset() ?? new ClientFacts();
        public IssuerFacts NewIssuerFacts() => Pooled?.Issuer.Reset() ?? new IssuerFacts();
        public MemberFacts NewMemberFacts() => Pooled?.Member.Reset() ?? new MemberFacts();

        // A trace has an entry per line and per topic: sized once, and not at all when no one asked for it.
        private readonly List<TraceEntry>? trace = explain ? new(lines + 4) : null;
        public IReadOnlyList<TraceEntry> Trace => trace ?? (IReadOnlyList<TraceEntry>)[];
        // What the evaluation collects, in lists of the thread's, handed out as arrays of their exact length (the lists go back).
        [ThreadStatic] private static Collected? spareCollected;
        private readonly Collected collected = TakeCollected();
        public IReadOnlyList<RuleSetUsed> Used => collected.Used.ToArray();
        public IReadOnlyList<string> Mentions => collected.Mentions.ToArray();
        public IReadOnlyList<UnconfirmedValue> Unconfirmed => collected.Unconfirmed.ToArray();

        private static Collected TakeCollected()
        {
            var lists = spareCollected ?? new Collected();
            spareCollected = null;
            return lists;
        }

        private sealed class Collected
        {
            public readonly List<RuleSetUsed> Used = new(8);
            public readonly List<string> Mentions = new(8);
            public readonly List<UnconfirmedValue> Unconfirmed = new(8);
        }
        // One argument array for every topic of the document, grown to the largest: each topic fills its facts and
        // parameters before reading, and reads only the globals and locals it has just computed.
        private object?[] args = Take(slots);

        private static object?[] Take(int slots)
        {
            var array = spare;
            if (array is null || array.Length < slots) return new object?[slots];
            spare = null;
            return array;
        }

        // By reference: each rule set has one such entry, and a record's own Equals compares every field.
        private bool UsedAlready(RuleSetUsed used)
        {
            foreach (var entry in collected.Used)
                if (ReferenceEquals(entry, used)) return true;
            return false;
        }

        /// <summary>Hands the argument array back, emptied so that it keeps no document alive.</summary>
        public void Dispose()
        {
            Array.Clear(args);
            spare = args;
            if (pooled is not null) spareFacts = pooled;
            collected.Used.Clear();
            collected.Mentions.Clear();
            collected.Unconfirmed.Clear();
            spareCollected = collected;
        }

        private sealed class FactObjects
        {
            public readonly DocumentFacts Doc = new();
            public readonly LineFacts Line = new();
            public readonly ClientFacts Client = new();
            public readonly IssuerFacts Issuer = new();
            public readonly MemberFacts Member = new();
        }

        /// <summary>The date whose rules and parameters apply: the document's, or another one for a topic that says so (a due date).</summary>
        public DateOnly Date { get => date; set => date = value; }

        public decimal Round(decimal amount) => Math.Round(amount, manifest.MinorUnit, MidpointRounding.AwayFromZero);

        public object?[] Arguments(CompiledRuleSet set, Facts facts)
        {
            if (args.Length < set.SlotCount) args = new object?[set.SlotCount];
            // The same facts for every topic of a document: written on the first, checked (no store, no write barrier) on the others.
            Set(args, FactSlots.Doc, facts.Doc);
            Set(args, FactSlots.Line, EmptyLine);
            Set(args, FactSlots.Client, facts.Client);
            Set(args, FactSlots.Issuer, facts.Issuer);
            Set(args, FactSlots.Member, facts.Member);
            Set(args, FactSlots.Contract, facts.Contract);
            Set(args, FactSlots.Expense, facts.Expense);
            var period = set.PeriodOn(date);
            Array.Copy(period.Values, 0, args, set.FirstParameterSlot, period.Values.Length);
            if (!UsedAlready(set.Used)) collected.Used.Add(set.Used);
            return args;
        }

        private static void Set(object?[] args, int slot, object facts)
        {
            if (!ReferenceEquals(args[slot], facts)) args[slot] = facts;
        }

        /// <summary>Runs the rules in order and returns the first that holds, with its value; records it in the trace.</summary>
        public (CompiledRule Rule, object? Value)? Fire(CompiledRuleSet set, object?[] args, int? line)
        {
            // Where it runs, as a position over globals then rules: the failing one is named only on the failure path.
            var at = 0;
            try
            {
                var globals = set.Globals;
                for (; at < globals.Length; at++) args[globals[at].Slot] = globals[at].Expression.Run(args!);
                var rules = set.Rules;
                var r = 0;
                if (set.FirstHolding is { } firstHolding)
                {
                    // Every condition in one call (undated rules whose conditions read no local param: the same answer as the loop).
                    // Should one throw, the loop below tries them again one by one and names it.
                    var first = FirstHolding(firstHolding, args);
                    if (first == -1) return null;
                    if (first >= 0)
                    {
                        at += first;
                        var rule = rules[first];
                        var value = LocalsAndOutput(rule, args);
                        Record(set, args, rule, value, line);
                        return (rule, value);
                    }
                }
                for (; r < rules.Length; r++, at++)
                {
                    var rule = rules[r];
                    if (!rule.InForceOn(date)) continue;
                    // Expressions are pure, so a condition that reads no local param can run first and spare the
                    // locals of every rule that does not fire; the result is the same as RulesEngine's order.
                    if (rule.ConditionReadsLocals)
                    {
                        foreach (var local in rule.Locals) args[local.Slot] = local.Expression.Run(args!);
                        if (!rule.Condition.Test!(args!)) continue;
                    }
                    else
                    {
                        if (!rule.Condition.Test!(args!)) continue;
                        var fired = LocalsAndOutput(rule, args);
                        Record(set, args, rule, fired, line);
                        return (rule, fired);
                    }
                    var value = rule.Output?.Run(args!);
                    Record(set, args, rule, value, line);
                    return (rule, value);
                }
                return null;
            }
            catch (Exception e) when (e is not RuleFailedException)
            {
                // A rule that throws (a division by zero, a text too short) or exceeds its budget fails this document, named.
                throw new RuleFailedException(set.Id, NameAt(set, at), e);
            }
        }

        /// <summary>A fired rule's locals (where someone reads them) and its value.</summary>
        private object? LocalsAndOutput(CompiledRule rule, object?[] args)
        {
            if ((explain ? rule.TracedBody : rule.Body) is { } body) return body(args!);
            foreach (var local in rule.Locals) args[local.Slot] = local.Expression.Run(args!);
            return rule.Output?.Run(args!);
        }

        /// <summary>The selector's answer, or -2 where a condition threw (the caller then finds which, one rule at a time).</summary>
        private static int FirstHolding(Func<object[], int> firstHolding, object?[] args)
        {
            try
            {
                return firstHolding(args!);
            }
            catch (Exception)
            {
                return -2;
            }
        }

        private static string NameAt(CompiledRuleSet set, int at) =>
            at < set.Globals.Length ? set.Globals[at].Name
            : at - set.Globals.Length < set.Rules.Length ? set.Rules[at - set.Globals.Length].Name
            : "GlobalParams";

        private void Record(CompiledRuleSet set, object?[] args, CompiledRule rule, object? value, int? line)
        {
            var unconfirmed = set.PeriodOn(date).Unconfirmed;
            foreach (var slot in rule.ParameterSlots)
                if (unconfirmed[slot - set.FirstParameterSlot] is { } noted) Note(noted);
            if (!explain) return;
            var values = new object?[rule.TraceNames.Length];
            var n = 0;
            foreach (var slot in rule.ParameterSlots) values[n++] = args[slot];
            foreach (var global in set.Globals) values[n++] = args[global.Slot];
            foreach (var local in rule.Locals) values[n++] = args[local.Slot];
            if (rule.Output is not null) values[n] = value;
            trace!.Add(new TraceEntry(set.Id, rule.Name, line, rule.Detail, new TraceValues(rule.TraceNames, values), rule.SourceText));
        }

        private void Note(UnconfirmedValue unconfirmed)
        {
            foreach (var noted in collected.Unconfirmed)
                if (noted.Ruleset == unconfirmed.Ruleset && noted.Parameter == unconfirmed.Parameter) return;
            collected.Unconfirmed.Add(unconfirmed);
        }

        /// <summary>A text parameter's value on the document's date, noting it when unconfirmed; not added to the mentions.</summary>
        public string? Text(CompiledRuleSet set, object?[] args, int index)
        {
            if (set.PeriodOn(date).Unconfirmed[index] is { } unconfirmed) Note(unconfirmed);
            return args[set.FirstParameterSlot + index] as string;
        }

        public string? Mention(CompiledRuleSet set, object?[] args, CompiledRule rule)
        {
            if (rule.MentionIndex < 0) return null;
            var text = Text(set, args, rule.MentionIndex);
            if (!string.IsNullOrEmpty(text) && !collected.Mentions.Contains(text)) collected.Mentions.Add(text);
            return text;
        }

        public static object? Lookup(object?[] args, CompiledRule rule, NamedResult result) =>
            rule.SlotOf(result) is var slot and >= 0 ? args[slot] : null;

        public decimal Result(CompiledRuleSet set, object?[] args, CompiledRule rule, NamedResult result) =>
            Decimal(Lookup(args, rule, result), set, rule);

        public decimal? OptionalResult(CompiledRuleSet set, object?[] args, CompiledRule rule, NamedResult result) =>
            Lookup(args, rule, result) is { } value ? Decimal(value, set, rule) : null;

        public decimal Decimal(object? value, CompiledRuleSet set, CompiledRule rule) => value switch
        {
            decimal d => d,
            int i => i,
            long l => l,
            double d => (decimal)d,
            _ => throw new RuleFailedException(set.Id, rule.Name, new InvalidOperationException($"it gave '{value}', not a number")),
        };
    }
}
