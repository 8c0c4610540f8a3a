using System.Globalization;
using System.Reflection;

namespace Smart.Web.Storage.Audit;

/// <summary>The fields that differ between two versions of a record, read from its public properties so a new field is audited without anyone remembering to.</summary>
public static class AuditChanges
{
    private static readonly HashSet<string> Bookkeeping = ["Id", "Version"];

    /// <summary>Every field that differs; with no <paramref name="before"/>, every field the new record sets.</summary>
    public static IReadOnlyList<AuditChange> Between<T>(T? before, T after) where T : class
    {
        var changes = new List<AuditChange>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // Computed properties (no setter) repeat stored fields.
            if (Bookkeeping.Contains(property.Name) || !property.CanWrite || property.GetIndexParameters().Length > 0) continue;
            var old = before is null ? null : Text(property.GetValue(before));
            var now = Text(property.GetValue(after));
            if (!string.Equals(old, now, StringComparison.Ordinal)) changes.Add(new AuditChange(property.Name, old, now));
        }
        return changes;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        // A list (an invoice's lines) is audited by its items, not by its type name.
        System.Collections.IEnumerable items => string.Join("; ", items.Cast<object?>().Select(Text)),
        _ => value.ToString(),
    };
}
