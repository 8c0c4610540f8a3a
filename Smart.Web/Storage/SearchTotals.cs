using System.Collections.Concurrent;
using LiteDB;

namespace Smart.Web.Storage;

/// <summary>
/// The totals of a directory store's searches, kept until the store commits its next write. LiteDB counts by loading every matching
/// document, and the home page and each list page ask for the same totals (a country's members, units, clients) on every request.
/// </summary>
internal sealed class SearchTotals
{
    private readonly ConcurrentDictionary<string, int> totals = new(StringComparer.Ordinal);
    private long generation;

    /// <summary>Wired to <see cref="AuditedCollection{TEntity, TDocument}.Committed"/>: any write may change any total.</summary>
    public void Clear(IReadOnlyCollection<int>? written)
    {
        Interlocked.Increment(ref generation);
        totals.Clear();
    }

    public int Get(IReadOnlyList<BsonExpression> filters, Func<int> count)
    {
        // Interpolated: with '+', LiteDB's BsonValue operator adds the text to the parameters document and every key became "null".
        var key = string.Join(" AND ", filters.Select(f => $"{f.Source} {f.Parameters}"));
        if (totals.TryGetValue(key, out var total)) return total;
        var before = Interlocked.Read(ref generation);
        total = count();
        // A write committed while counting may not be in this total: keep it only if none was.
        if (Interlocked.Read(ref generation) == before) totals[key] = total;
        return total;
    }
}
