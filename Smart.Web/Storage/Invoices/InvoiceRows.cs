using LiteDB;

namespace Smart.Web.Storage.Invoices;

/// <summary>
/// The fields an invoice list filters and sorts on, for every invoice, held in memory beside the LiteDB collection. LiteDB loads each
/// whole document (evaluation included) to count or sort a filtered query, so a list page over a year of invoices read ~1 GB; here a
/// page is one pass over these rows, then its 50 documents by id. Every committed write of the store refreshes the rows it touched
/// (<see cref="AuditedCollection{TEntity, TDocument}.Committed"/>); they assume this app is the store's only writer (the README: one data directory per instance).
/// </summary>
internal sealed class InvoiceRows
{
    private static readonly StringComparer Text = StringComparer.InvariantCultureIgnoreCase;

    private readonly ILiteCollection<BsonDocument> documents;
    private readonly Lock gate = new();
    private Dictionary<int, Row>? rows;
    /// <summary>All rows by date then id, rebuilt on the first read after a write.</summary>
    private Row[]? byDate;
    /// <summary>
    /// Each recent query's matching ids in order, until the next write: paging through one list (or many users opening the same one)
    /// then costs one slice instead of one pass over a year of rows.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> recent = new(StringComparer.Ordinal);
    private long generation;
    /// <summary>Cancelled when the store stops: a load running then (the warm-up) ends at its next row instead of reading on.</summary>
    private readonly CancellationTokenSource stopping = new();

    public InvoiceRows(LiteDatabase database, string collection) => documents = database.GetCollection(collection);

    /// <summary>
    /// One invoice's list fields: <paramref name="Total"/> is its gross (what a search by amount matches), <paramref name="TotalAfterCredits"/>
    /// what the list shows and sorts by (<see cref="Invoice.TotalAfterCredits"/>).
    /// </summary>
    public sealed record Row(int Id, string Country, InvoiceStatus Status, DateOnly Date, DateOnly? DueDate, string? Number, decimal Total,
        int ProductionUnitId, int ClientId, int? CreditNoteForId, int? CreditedById, decimal TotalAfterCredits)
    {
        /// <summary>As <see cref="Invoice.StatusOn(DateOnly)"/>: a list filters on overdue exactly as the invoice's page shows it.</summary>
        public InvoiceStatus StatusOn(DateOnly today) => Invoice.StatusOn(Status, CreditNoteForId is not null, DueDate, today);
    }

    /// <summary>
    /// Loads the rows on a background thread of low priority (a year: 5 to 10 s of reading), so the first list page need not wait and
    /// start-up and the first requests go first. Nothing thrown here may end the process (a store disposed meanwhile, any failure):
    /// the first list then loads the rows itself and reports what went wrong.
    /// </summary>
    public void WarmUpInBackground() => new Thread(() =>
    {
        try { Snapshot(); }
        catch (Exception) { }
    })
    { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "Invoice rows warm-up" }.Start();

    /// <summary>
    /// Stops a load that is running (the warm-up's), at its next row: the store is closing, and an app restarted on the same data directory
    /// must not find a reader of the one before still going. A list asked for afterwards fails as the closed store would.
    /// </summary>
    public void Stop() => stopping.Cancel();

    /// <summary>After a committed write: reads the written rows again (and a credit note's original, or an invoice's notes, whole or partial); null reloads everything.</summary>
    public void Refresh(IReadOnlyCollection<int>? ids)
    {
        lock (gate)
        {
            byDate = null;
            Interlocked.Increment(ref generation);
            recent.Clear();
            if (rows is null) return;
            if (ids is null)
            {
                rows = null;
                return;
            }
            var pending = new Queue<int>(ids);
            var seen = new HashSet<int>();
            while (pending.TryDequeue(out var id))
            {
                if (!seen.Add(id)) continue;
                if (documents.FindById(id) is not { } document)
                {
                    rows.Remove(id);
                    continue;
                }
                var row = RowOf(document);
                rows[id] = row;
                if (row.CreditedById is { } note) pending.Enqueue(note);
                if (row.CreditNoteForId is { } original) pending.Enqueue(original);
                // A partial credit note is written inside its original's update, which names the original only.
                if (document["Credits"].IsArray)
                    foreach (var credit in document["Credits"].AsArray) if (credit["CreditNoteId"].IsNumber) pending.Enqueue(credit["CreditNoteId"].AsInt32);
            }
        }
    }

    /// <summary>The ids of one page of the matching rows in the asked order, and how many match in all; <paramref name="key"/> names the query.</summary>
    public (IReadOnlyList<int> Ids, int Total) Page(string key, Func<Row, bool> matches, InvoiceSort sort, bool descending, int skip, int take)
    {
        var ordered = Ordered(key, matches, sort, descending);
        skip = Math.Clamp(skip, 0, ordered.Length);
        take = Math.Clamp(take, 0, Math.Min(1000, ordered.Length - skip));
        return (new ArraySegment<int>(ordered, skip, take), ordered.Length);
    }

    /// <summary>Every matching id in the asked order, for an export read a batch at a time.</summary>
    public IReadOnlyList<int> All(string key, Func<Row, bool> matches, InvoiceSort sort, bool descending) => Ordered(key, matches, sort, descending);

    /// <summary>Matching ids by due date, oldest first (then by id).</summary>
    public IReadOnlyList<int> ByDueDate(string key, Func<Row, bool> matches) =>
        Cached("due " + key, () => Snapshot().Where(matches).OrderBy(r => r.DueDate).ThenBy(r => r.Id).Select(r => r.Id).ToArray());

    private int[] Ordered(string key, Func<Row, bool> matches, InvoiceSort sort, bool descending) =>
        Cached($"{sort} {descending} {key}", () =>
        {
            var all = Snapshot();
            if (sort == InvoiceSort.Date)
            {
                // The rows are kept in date order: one pass, no sort.
                var inOrder = new List<int>();
                for (var i = 0; i < all.Length; i++)
                {
                    var row = all[descending ? all.Length - 1 - i : i];
                    if (matches(row)) inOrder.Add(row.Id);
                }
                return inOrder.ToArray();
            }
            var matching = all.Where(matches).ToList();
            matching.Sort(Comparer(sort));
            if (descending) matching.Reverse();
            return matching.Select(r => r.Id).ToArray();
        });

    private int[] Cached(string key, Func<int[]> compute)
    {
        if (recent.TryGetValue(key, out var hit)) return hit;
        var before = Interlocked.Read(ref generation);
        var ids = compute();
        // Kept only if no write came in while computing; a bounded number of queries, forgotten all at once.
        if (recent.Count >= 64) recent.Clear();
        recent[key] = ids;
        // Checked after storing, as Refresh counts before it clears.
        if (Interlocked.Read(ref generation) != before) recent.TryRemove(key, out _);
        return ids;
    }

    private static Comparison<Row> Comparer(InvoiceSort sort) => sort switch
    {
        // LiteDB orders null before any text, and text without regard to case.
        InvoiceSort.Number => (a, b) => Text.Compare(a.Number, b.Number) is var n && n != 0 ? n : a.Id.CompareTo(b.Id),
        InvoiceSort.Country => (a, b) => Text.Compare(a.Country, b.Country) is var c && c != 0 ? c : a.Id.CompareTo(b.Id),
        InvoiceSort.Total => (a, b) => a.TotalAfterCredits.CompareTo(b.TotalAfterCredits) is var t && t != 0 ? t : a.Id.CompareTo(b.Id),
        _ => (a, b) => a.Date.CompareTo(b.Date) is var d && d != 0 ? d : a.Id.CompareTo(b.Id),
    };

    private Row[] Snapshot()
    {
        lock (gate)
        {
            if (byDate is { } ready) return ready;
            rows ??= Load();
            var sorted = rows.Values.ToArray();
            Array.Sort(sorted, Comparer(InvoiceSort.Date));
            return byDate = sorted;
        }
    }

    // Read in ranges of ids, each its own query. LiteDB keeps every page a query reads pinned in its cache until the query ends (up to
    // 100,000 pages, 800 MB, shared by all queries), and its cache never gives memory back: a range must be read by an index range
    // scan (BETWEEN) that stops at its end. "_id >= a AND _id < b" scans the index from a to the end of the collection, loading every
    // later document to filter it out: loading a year read 2.8 million documents instead of 232,000 and left ~270 MB of pages in the
    // cache. Small ranges keep what one query pins to a few MB.
    private Dictionary<int, Row> Load()
    {
        const int range = 2_000;
        var loaded = new Dictionary<int, Row>();
        // The highest id from the primary key's end: LiteDB's Max() throws on an empty collection (a fresh store), and counting first
        // would load every document.
        var last = documents.Query().OrderBy("_id", Query.Descending).Limit(1).ToEnumerable().Select(d => d["_id"].AsInt32).FirstOrDefault();
        for (var from = 0; from <= last; from += range)
        {
            foreach (var document in documents.Query().Where("_id BETWEEN @0 AND @1", from, from + range - 1)
                .Select("{ _id: $._id, Country: $.Country, Status: $.Status, Date: $.Date, DueDate: $.DueDate, Number: $.Number, Total: $.Total, " +
                        "ProductionUnitId: $.ProductionUnitId, ClientId: $.ClientId, CreditNoteForId: $.CreditNoteForId, CreditedById: $.CreditedById, " +
                        "Credited: SUM($.Credits[*].Gross) }")
                .ToEnumerable())
            {
                stopping.Token.ThrowIfCancellationRequested();
                var row = RowOf(document);
                loaded[row.Id] = row;
            }
        }
        return loaded;
    }

    private static Row RowOf(BsonDocument d)
    {
        var status = Enum.Parse<InvoiceStatus>(d["Status"].AsString, ignoreCase: true);
        var total = d["Total"].IsNull ? 0m : d["Total"].AsDecimal;
        // A whole document (a refresh) carries its credits; a loaded row their sum (Credited), read by the projection.
        var credited = d.TryGetValue("Credited", out var sum) ? (sum.IsNumber ? sum.AsDecimal : 0m)
            : d["Credits"].IsArray ? d["Credits"].AsArray.Sum(c => c["Gross"].IsNumber ? c["Gross"].AsDecimal : 0m) : 0m;
        return RowOf(d, status, total, Invoice.TotalAfterCreditsOf(status, total, credited));
    }

    private static Row RowOf(BsonDocument d, InvoiceStatus status, decimal total, decimal afterCredits) => new(
        d["_id"].AsInt32,
        string.Intern(d["Country"].AsString ?? ""),
        status,
        d["Date"].AsDateTime.ToDate(),
        d["DueDate"].IsNull ? null : d["DueDate"].AsDateTime.ToDate(),
        d["Number"].IsNull ? null : d["Number"].AsString,
        total,
        d["ProductionUnitId"].AsInt32,
        d["ClientId"].AsInt32,
        d["CreditNoteForId"].IsNull ? null : d["CreditNoteForId"].AsInt32,
        d["CreditedById"].IsNull ? null : d["CreditedById"].AsInt32,
        afterCredits);
}
