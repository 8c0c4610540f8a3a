using System.Collections.Concurrent;
using LiteDB;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Storage;

/// <summary>
/// The fields a directory list (members, production units, clients) filters and sorts on, for every row, held in memory beside the LiteDB
/// collection, as <see cref="InvoiceRows"/> holds the invoices'. LiteDB loads and sorts every matching document to count a search or to
/// return its first page, so a common word over a year's directory read thousands of documents per request; here the search's own filters
/// and order (the same LiteDB expressions, run with the database's collation) pass over these rows, then only the page's documents are read.
/// Every committed write refreshes the rows it touched; they assume this app is the store's only writer (the README: one data directory per instance).
/// </summary>
internal sealed class DirectoryRows
{
    private readonly ILiteCollection<BsonDocument> documents;
    private readonly Collation collation;
    private readonly string projection;
    /// <summary>The projected fields (Country first, _id not among them), in the order of each row's values.</summary>
    private readonly string[] names;
    private readonly Lock gate = new();
    /// <summary>Held by the one thread loading the rows; <see cref="gate"/> is not, so a write's refresh never waits for a load.</summary>
    private readonly Lock loading = new();
    private Dictionary<int, BsonValue[]>? rows;
    /// <summary>While a load runs: the ids written meanwhile, read again once it ends (null ids: everything).</summary>
    private HashSet<int>? writtenWhileLoading;
    private bool allWrittenWhileLoading;
    /// <summary>All rows by id, rebuilt on the first read after a write.</summary>
    private Row[]? snapshot;
    /// <summary>Each recent search's matching ids in order, until the next write (a list paged through, the home page's counts).</summary>
    private readonly ConcurrentDictionary<string, int[]> recent = new(StringComparer.Ordinal);
    private long generation;
    /// <summary>Cancelled when the store stops: a load running then (the warm-up) ends at its next row.</summary>
    private readonly CancellationTokenSource stopping = new();

    /// <param name="fields">The fields the store's filters and orders read (Country is always kept).</param>
    public DirectoryRows(LiteDatabase database, string collection, params string[] fields)
    {
        documents = database.GetCollection(collection);
        collation = database.Collation;
        names = [.. fields.Prepend("Country").Distinct(StringComparer.OrdinalIgnoreCase)];
        projection = "{ _id: $._id, " + string.Join(", ", names.Select(f => $"{f}: $.{f}")) + " }";
    }

    /// <summary>One row: its id and its fields' values in the order of <see cref="names"/>.</summary>
    private readonly record struct Row(int Id, BsonValue[] Values);

    /// <summary>Loads the rows on a background thread, so the first home page or list need not wait (<see cref="RowsWarmUp.InBackground"/>).</summary>
    public void WarmUpInBackground(ILogger logger) => RowsWarmUp.InBackground("directory", () => Snapshot(), stopping.Token, logger);

    /// <summary>Stops a load that is running, at its next row, as <see cref="InvoiceRows.Stop"/> does: the store is closing.</summary>
    public void Stop() => stopping.Cancel();

    /// <summary>Wired to <see cref="AuditedCollection{TEntity, TDocument}.Committed"/>: reads the written rows again; null reloads everything.</summary>
    public void Refresh(IReadOnlyCollection<int>? ids)
    {
        lock (gate)
        {
            snapshot = null;
            Interlocked.Increment(ref generation);
            recent.Clear();
            if (rows is null)
            {
                if (ids is null) allWrittenWhileLoading = true;
                else writtenWhileLoading?.UnionWith(ids);
                return;
            }
            if (ids is null)
            {
                rows = null;
                return;
            }
            ReadAgain(rows, ids);
        }
    }

    private void ReadAgain(Dictionary<int, BsonValue[]> into, IEnumerable<int> ids)
    {
        foreach (var id in ids)
        {
            if (documents.Query().Where("_id = @0", id).Select(projection).FirstOrDefault() is { } row) into[id] = Compact(row);
            else into.Remove(id);
        }
    }

    /// <summary>
    /// The ids of one page of the rows matching every filter in <paramref name="order"/> (ties by id, as a list's pages need a stable order),
    /// and how many match; <paramref name="key"/> names the search (scope, filters, order) for the cache of recent ones.
    /// </summary>
    public (IReadOnlyList<int> Ids, int Total) Page(string key, IReadOnlyList<BsonExpression> filters, BsonExpression order, bool descending, int skip, int take)
    {
        var ordered = Cached(key, () =>
        {
            var matching = new List<(BsonValue Key, int Id)>();
            foreach (var (id, row) in Documents())
                if (Matches(row, filters)) matching.Add((order.ExecuteScalar(row, collation), id));
            matching.Sort((a, b) => a.Key.CompareTo(b.Key, collation) is var c && c != 0 ? c : a.Id.CompareTo(b.Id));
            if (descending) matching.Reverse();
            return matching.Select(m => m.Id).ToArray();
        });
        skip = Math.Clamp(skip, 0, ordered.Length);
        take = Math.Clamp(take, 0, Math.Min(1000, ordered.Length - skip));
        return (new ArraySegment<int>(ordered, skip, take), ordered.Length);
    }

    /// <summary>How many rows match every filter: a count needs no order.</summary>
    public int Count(string key, IReadOnlyList<BsonExpression> filters) =>
        Cached("count " + key, () => [Documents().Count(row => Matches(row.Document, filters))])[0];

    /// <summary>
    /// Each row as the document LiteDB's expressions read, one document per pass filled again for each row: the rows are held as arrays of
    /// values, not as a document (and its dictionary) each. An expression's result may be one of the row's values, never the document.
    /// </summary>
    private IEnumerable<(int Id, BsonDocument Document)> Documents()
    {
        var document = new BsonDocument();
        foreach (var row in Snapshot())
        {
            for (var i = 0; i < names.Length; i++) document[names[i]] = row.Values[i];
            yield return (row.Id, document);
        }
    }

    private bool Matches(BsonDocument row, IReadOnlyList<BsonExpression> filters)
    {
        foreach (var filter in filters)
            if (filter.ExecuteScalar(row, collation) is not { IsBoolean: true, AsBoolean: true }) return false;
        return true;
    }

    private int[] Cached(string key, Func<int[]> compute)
    {
        if (recent.TryGetValue(key, out var hit)) return hit;
        var before = Interlocked.Read(ref generation);
        var found = compute();
        // Kept only if no write came in while computing; a bounded number of searches, forgotten all at once.
        if (recent.Count >= 256) recent.Clear();
        recent[key] = found;
        if (Interlocked.Read(ref generation) != before) recent.TryRemove(key, out _);
        return found;
    }

    private Row[] Snapshot()
    {
        lock (gate)
        {
            if (snapshot is { } ready) return ready;
            if (rows is not null) return snapshot = Rows(rows);
        }
        lock (loading)
        {
            lock (gate)
            {
                if (rows is not null) return snapshot ??= Rows(rows);
                (writtenWhileLoading, allWrittenWhileLoading) = ([], false);
            }
            var loaded = Load();
            lock (gate)
            {
                // A write committed during the load may or may not be in it: read those rows again.
                if (allWrittenWhileLoading) loaded = Load();
                else ReadAgain(loaded, writtenWhileLoading!);
                (writtenWhileLoading, rows) = (null, loaded);
                // The values met by the load are held by the rows now; most are one row's (names, dates): a write's values start a new table.
                lock (shared)
                {
                    shared.Clear();
                    shared.TrimExcess();
                }
                return snapshot = Rows(rows);
            }
        }
    }

    private static Row[] Rows(Dictionary<int, BsonValue[]> rows) => [.. rows.Select(r => new Row(r.Key, r.Value))];

    /// <summary>
    /// A row as LiteDB reads it holds its own copy of every field name, of every text (country, sector, status, each search word) and a
    /// dictionary sized for growth: on a year's directory (80,000 rows) that was ~110 MB, and ~60 MB as a document of shared values each.
    /// Kept instead as an array of the values in the order of <see cref="names"/>, each text, flag, date and small number shared between
    /// rows (the same value objects: rows are only read).
    /// </summary>
    private BsonValue[] Compact(BsonDocument row)
    {
        var values = new BsonValue[names.Length];
        lock (shared)
        {
            for (var i = 0; i < names.Length; i++) values[i] = row.TryGetValue(names[i], out var value) ? Shared(value) : BsonValue.Null;
        }
        return values;
    }

    private BsonValue Shared(BsonValue value)
    {
        if (value.IsArray)
        {
            var items = new List<BsonValue>(value.AsArray.Count);
            foreach (var item in value.AsArray) items.Add(Shared(item));
            return new BsonArray(items);
        }
        if (value.IsBoolean) return value.AsBoolean ? True : False;
        if (value.IsNull) return BsonValue.Null;
        // Texts, dates and numbers, each kept with its type: a value is shared only with values of its own type (LiteDB counts 1 and 1.0 equal).
        if (!(value.IsString || value.IsDateTime || value.IsInt32 || value.IsInt64 || value.IsDecimal || value.IsDouble)) return value;
        var key = (value.Type, value.RawValue);
        if (shared.TryGetValue(key, out var known)) return known;
        // Bounded: a directory's distinct values are its vocabulary (names, places, codes, dates); past the bound a value is kept as read.
        if (shared.Count < MaxShared) shared[key] = value;
        return value;
    }

    private const int MaxShared = 500_000;
    private static readonly BsonValue True = new(true), False = new(false);
    /// <summary>Each distinct value once, by type, as the value object every row holding it refers to.</summary>
    private readonly Dictionary<(BsonType, object), BsonValue> shared = [];

    // In ranges of ids, each its own query read by an index range scan, as InvoiceRows loads (why BETWEEN: InvoiceRows.Load): the whole
    // collection is never held by one read.
    private Dictionary<int, BsonValue[]> Load()
    {
        const int range = 2_000;
        var loaded = new Dictionary<int, BsonValue[]>();
        var last = documents.Query().OrderBy("_id", Query.Descending).Limit(1).ToEnumerable().Select(d => d["_id"].AsInt32).FirstOrDefault();
        for (var from = 0; from <= last; from += range)
            foreach (var row in documents.Query().Where("_id BETWEEN @0 AND @1", from, from + range - 1).Select(projection).ToEnumerable())
            {
                stopping.Token.ThrowIfCancellationRequested();
                loaded[row["_id"].AsInt32] = Compact(row);
            }
        return loaded;
    }
}
