namespace Smart.Rules.Evaluation;

/// <summary>
/// The results the evaluator reads from a fired rule besides its value: each is the rule's local param (or the rule set's
/// global param) of the same name in camelCase (<c>withholdingRate</c>). Resolved to a slot once at load, so a document
/// reads them by position, never by comparing names.
/// </summary>
internal enum NamedResult
{
    // Author rights.
    AboveShareCap, Ceiling, WithholdingRate, LumpSumDeduction,
    // Late payment.
    FlatCompensation, ReminderDays, PenaltyCap,
    // Employment.
    MutualisedContribution, EmployerContributions, WorkerContributions, EmployerRate, MutualisedRate,
    // Expenses.
    Reimbursed,
}

internal static class NamedResults
{
    private static readonly NamedResult[] All = Enum.GetValues<NamedResult>();

    /// <summary>Each result's name in a rule file, indexed by <see cref="NamedResult"/>.</summary>
    private static readonly string[] Names = [.. All.Select(r => char.ToLowerInvariant(r.ToString()[0]) + r.ToString()[1..])];

    public static string Name(this NamedResult result) => Names[(int)result];

    /// <summary>
    /// Where each named result sits in the argument array for a rule (-1: the rule has none): its local param of that name
    /// first, else the rule set's global param; the first of a name wins.
    /// </summary>
    public static int[] Slots(IReadOnlyList<CompiledLocal> locals, IReadOnlyList<CompiledGlobal> globals)
    {
        var slots = new int[All.Length];
        foreach (var result in All)
        {
            var name = result.Name();
            var slot = -1;
            foreach (var local in locals)
                if (local.Name == name) { slot = local.Slot; break; }
            if (slot < 0)
                foreach (var global in globals)
                    if (global.Name == name) { slot = global.Slot; break; }
            slots[(int)result] = slot;
        }
        return slots;
    }
}
