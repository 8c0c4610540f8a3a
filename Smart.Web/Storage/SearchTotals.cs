using System.Collections.Concurrent;

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

    /// <summary>The total of the search named by <paramref name="key"/> (its filters and scope, not its page or order).</summary>
    public int Get(string key, Func<int> count)
    {
        if (totals.TryGetValue(key, out var total)) return total;
        var before = Interlocked.Read(ref generation);
        total = count();
        // A write committed while counting may not be in this total: kept only if none was (checked after storing, as Clear counts first).
        totals[key] = total;
        if (Interlocked.Read(ref generation) != before) totals.TryRemove(key, out _);
        return total;
    }

    /// <summary>A query record's filters and scope as text (records print every property): the same search on another page or in another order.</summary>
    public static string KeyOf<TQuery>(TQuery query) => query?.ToString() ?? "";
}
