using System.Diagnostics;

namespace Smart.Rules.Evaluation;

/// <summary>
/// What one document's evaluation has spent, per thread. Compiled expressions call it only where a rule can loop or grow
/// (lambdas, sequences, built text), so rules written as plain arithmetic, every shipped one included, never reach it and
/// the hot path pays one thread-static write per document. The clock starts at the first step, so a budget is cheap to open.
/// </summary>
internal static class RuleBudget
{
    [ThreadStatic] private static int steps;
    [ThreadStatic] private static long startedAt;
    [ThreadStatic] private static long allocatedAtStart;

    /// <summary>Opens a fresh budget for the next document on this thread (the first step starts it).</summary>
    public static void Begin() => startedAt = 0;

    /// <summary>One step of a loop (a lambda call or a sequence item): counted, timed and weighed.</summary>
    public static void Step()
    {
        if (startedAt == 0)
        {
            startedAt = Stopwatch.GetTimestamp();
            allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
            steps = 0;
        }
        if (++steps > RuleLimits.StepsPerDocument)
            throw new RuleBudgetException($"more than {RuleLimits.StepsPerDocument} steps");
        if (Stopwatch.GetElapsedTime(startedAt) > RuleLimits.TimePerDocument)
            throw new RuleBudgetException($"more than {RuleLimits.TimePerDocument.TotalMilliseconds} ms");
        if (GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart > RuleLimits.BytesPerDocument)
            throw new RuleBudgetException($"more than {RuleLimits.BytesPerDocument / (1024 * 1024)} MB of memory");
    }

    /// <summary>A sequence a rule made, cut off at <see cref="RuleLimits.SequenceItems"/> and stepping the budget per item.</summary>
    public static IEnumerable<T> Counted<T>(IEnumerable<T> sequence)
    {
        var items = 0;
        foreach (var item in sequence)
        {
            if (++items > RuleLimits.SequenceItems)
                throw new RuleBudgetException($"a sequence of more than {RuleLimits.SequenceItems} items");
            Step();
            yield return item;
        }
    }

    /// <summary>A length asked of PadLeft, PadRight, new string or a new array, refused before anything is allocated.</summary>
    public static int Size(int size) => size <= RuleLimits.TextCharacters ? size
        : throw new RuleBudgetException($"{size} characters or items asked at once (at most {RuleLimits.TextCharacters})");

    /// <summary>Text a rule built, refused when longer than <see cref="RuleLimits.TextCharacters"/>.</summary>
    public static string? Text(string? text) => text is null || text.Length <= RuleLimits.TextCharacters ? text
        : throw new RuleBudgetException($"a text of {text.Length} characters (at most {RuleLimits.TextCharacters})");
}

/// <summary>A rule spent more than its budget; the evaluator names the rule.</summary>
internal sealed class RuleBudgetException(string what) : Exception($"it exceeded its budget: {what}");
