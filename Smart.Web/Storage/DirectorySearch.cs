using LiteDB;

namespace Smart.Web.Storage;

/// <summary>How the LiteDB directory stores turn a search into one database query: filters, order and page all run in LiteDB.</summary>
internal static class DirectorySearch
{
    /// <summary>The scope's filter first, then the search's: every query of a directory store goes through here, so none can skip the scope.</summary>
    private static List<BsonExpression> Scoped(CountryScope scope, IEnumerable<BsonExpression> filters)
    {
        var scoped = new List<BsonExpression>();
        if (scope.Countries is { } countries)
            scoped.Add(countries.Count == 1
                ? StoredFilter.Equal("Country", countries.First())
                : StoredFilter.In("Country", countries.Select(c => new BsonValue(c))));
        scoped.AddRange(filters);
        return scoped;
    }

    private static bool SeesNothing(CountryScope scope) => scope.Countries is { Count: 0 };

    /// <summary>One filter per typed word: some stored word must start with it, which the multikey index on SearchWords answers.</summary>
    public static IEnumerable<BsonExpression> TextFilters(string? search) =>
        SearchWords.OfQuery(search).Select(word => BsonExpression.Create("$.SearchWords[*] ANY LIKE @0", new BsonValue(word + "%")));

    public static void EnsureSearchIndex<T>(ILiteCollection<T> collection) => collection.EnsureIndex("SearchWords", "$.SearchWords[*]");

    public static SearchResult<TRow> Run<TDocument, TRow>(ILiteCollection<TDocument> collection, CountryScope scope, IEnumerable<BsonExpression> filters,
        BsonExpression order, bool descending, int skip, int take, Func<TDocument, TRow> toRow, SearchTotals? totals = null, string? totalsKey = null)
    {
        if (SeesNothing(scope)) return SearchResult<TRow>.Empty;
        var scoped = Scoped(scope, filters);
        var total = totals is null || totalsKey is null ? Where(collection, scoped).Count() : totals.Get(totalsKey, () => Where(collection, scoped).Count());
        // Take 0 asks only for the count: LiteDB would otherwise load and sort every match to return no row.
        return new(take <= 0 ? [] : Page(collection, scoped, order, descending, skip, take, toRow), total);
    }

    private static List<TRow> Page<TDocument, TRow>(ILiteCollection<TDocument> collection, IReadOnlyList<BsonExpression> filters,
        BsonExpression order, bool descending, int skip, int take, Func<TDocument, TRow> toRow) =>
        Where(collection, filters)
            .OrderBy(order, descending ? Query.Descending : Query.Ascending)
            .Skip(Math.Max(0, skip)).Limit(Math.Clamp(take, 0, 1000))
            .ToEnumerable().Select(toRow).ToList();

    private static ILiteQueryable<T> Where<T>(ILiteCollection<T> collection, IReadOnlyList<BsonExpression> filters)
    {
        var query = collection.Query();
        foreach (var filter in filters) query = query.Where(filter);
        return query;
    }

    /// <summary>
    /// The same search answered from the store's rows in memory (<see cref="DirectoryRows"/>): the scope and filters over the rows, then
    /// only the page's documents read by id. <paramref name="key"/> names the search without its page (scope, filters, order).
    /// </summary>
    public static SearchResult<TRow> Run<TDocument, TRow>(DirectoryRows rows, ILiteCollection<TDocument> collection, CountryScope scope,
        IEnumerable<BsonExpression> filters, BsonExpression order, bool descending, int skip, int take, Func<TDocument, int> idOf, Func<TDocument, TRow> toRow, string key)
    {
        if (SeesNothing(scope)) return SearchResult<TRow>.Empty;
        var scoped = Scoped(scope, filters);
        if (take <= 0) return new([], rows.Count(key, scoped));
        var (ids, total) = rows.Page($"{key} {order.Source} {descending}", scoped, order, descending, skip, take);
        if (ids.Count == 0) return new([], total);
        var found = collection.Find(StoredFilter.Ids(ids)).ToDictionary(idOf);
        return new(ids.Where(found.ContainsKey).Select(id => toRow(found[id])).ToList(), total);
    }

    /// <summary>Reads every match a batch at a time, each batch its own short read, so a slow download never holds the database.</summary>
    public static async IAsyncEnumerable<TRow> ExportAsync<TDocument, TRow>(ILiteCollection<TDocument> collection, CountryScope scope, IEnumerable<BsonExpression> filters,
        BsonExpression order, bool descending, Func<TDocument, TRow> toRow, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 500;
        if (SeesNothing(scope)) yield break;
        var scoped = Scoped(scope, filters);
        for (var skip = 0; ; skip += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Page(collection, scoped, order, descending, skip, batch, toRow);
            foreach (var row in rows) yield return row;
            if (rows.Count < batch) yield break;
            await Task.Yield();
        }
    }
}
