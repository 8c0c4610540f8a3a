using System.Globalization;
using System.Runtime.InteropServices;
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
    /// <summary>All rows by date then id (null until loaded), merged with <see cref="changed"/> on the first read after a write.</summary>
    private Row[]? byDate;
    /// <summary>The rows written since <see cref="byDate"/> was merged, by id; null: the invoice is gone.</summary>
    private readonly Dictionary<int, Row?> changed = [];
    /// <summary>
    /// Each recent query's matching ids in order, until the next write: paging through one list (or many users opening the same one)
    /// then costs one slice instead of one pass over a year of rows.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> recent = new(StringComparer.Ordinal);
    private long generation;
    /// <summary>
    /// For the rows of one <see cref="byDate"/> array: each production unit's positions in it, in date order. Built at the first list of a
    /// unit's invoices after a write (one pass), so the next units' lists read their own rows, not a year's.
    /// </summary>
    private UnitPositions? byUnit;
    /// <summary>Cancelled when the store stops: a load running then (the warm-up) ends at its next row instead of reading on.</summary>
    private readonly CancellationTokenSource stopping = new();

    public InvoiceRows(LiteDatabase database, string collection) => documents = database.GetCollection(collection);

    /// <summary>
    /// One invoice's list fields: <see cref="Total"/> is its gross (what a search by amount matches), <see cref="TotalAfterCredits"/>
    /// what the list shows and sorts by (<see cref="Invoice.TotalAfterCredits"/>). Held as a value in one array for all invoices, 72 bytes
    /// each (an object per invoice and its number as a text each took ~200): dates as day numbers, no id as a sentinel, the country as an
    /// index in a table of the few countries, the number (BE-2026-000123) as its sequence's index, its year and its place in the year.
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    public readonly struct Row
    {
        private const int None = int.MinValue;
        private readonly int dueDate, creditNoteForId, creditedById, date;
        private readonly ushort country;
        private readonly byte status;

        public Row(int id, string country, InvoiceStatus status, DateOnly date, DateOnly? dueDate, NumberParts number, decimal total,
            int productionUnitId, int clientId, int? creditNoteForId, int? creditedById, decimal totalAfterCredits)
        {
            Id = id;
            this.country = Countries.IndexOf(country);
            this.status = checked((byte)status);
            this.date = date.DayNumber;
            this.dueDate = dueDate?.DayNumber ?? None;
            Number = number;
            Total = total;
            ProductionUnitId = productionUnitId;
            ClientId = clientId;
            this.creditNoteForId = creditNoteForId ?? None;
            this.creditedById = creditedById ?? None;
            TotalAfterCredits = totalAfterCredits;
        }

        public int Id { get; }
        public string Country => Countries.At(country);
        public InvoiceStatus Status => (InvoiceStatus)status;
        public DateOnly Date => DateOnly.FromDayNumber(date);
        public DateOnly? DueDate => dueDate == None ? null : DateOnly.FromDayNumber(dueDate);
        /// <summary>The number's parts: <see cref="InvoiceRows.NumberOf(in Row)"/> writes it out.</summary>
        public NumberParts Number { get; }
        public decimal Total { get; }
        public int ProductionUnitId { get; }
        public int ClientId { get; }
        public int? CreditNoteForId => creditNoteForId == None ? null : creditNoteForId;
        public int? CreditedById => creditedById == None ? null : creditedById;
        public decimal TotalAfterCredits { get; }

        /// <summary>As <see cref="Invoice.StatusOn(DateOnly)"/>: a list filters on overdue exactly as the invoice's page shows it.</summary>
        public InvoiceStatus StatusOn(DateOnly today) => Invoice.StatusOn(Status, creditNoteForId != None, DueDate, today);
    }

    /// <summary>
    /// An invoice number as the store gives it (sequence, year, place: BE-CN-2026-000012) in 8 bytes. A number of another shape is kept
    /// whole in <see cref="InvoiceRows.otherNumbers"/> (<see cref="Other"/>); no number (a draft): <see cref="Missing"/>.
    /// </summary>
    public readonly record struct NumberParts(ushort Sequence, short Year, int Place)
    {
        public static readonly NumberParts Missing = new(ushort.MaxValue, 0, 0);
        public static readonly NumberParts Other = new(ushort.MaxValue, 1, 0);
    }

    /// <summary>
    /// Texts few and shared by many rows (countries, number sequences), each once, by index; append-only, so a row's index stays valid.
    /// Past <see cref="ushort.MaxValue"/> - 1 texts a text is not taken (<see cref="TryIndexOf"/> answers false).
    /// </summary>
    private sealed class Texts
    {
        private readonly Dictionary<string, ushort> indexes = new(StringComparer.Ordinal);
        private volatile string[] texts = new string[16];

        public string At(ushort index) => texts[index];

        public ushort IndexOf(string text) =>
            TryIndexOf(text, out var index) ? index : throw new InvalidOperationException("More distinct countries than a row can name.");

        public bool TryIndexOf(string text, out ushort index)
        {
            lock (indexes)
            {
                if (indexes.TryGetValue(text, out index)) return true;
                if (indexes.Count >= ushort.MaxValue - 1) return false;
                index = (ushort)indexes.Count;
                if (index == texts.Length)
                {
                    var grown = new string[texts.Length * 2];
                    texts.CopyTo(grown, 0);
                    texts = grown;
                }
                texts[index] = string.Intern(text);
                indexes[text] = index;
                return true;
            }
        }
    }

    private static readonly Texts Countries = new(), Sequences = new();
    /// <summary>The numbers not of the store's shape (<see cref="NumberParts.Other"/>), by invoice id.</summary>
    private System.Collections.Concurrent.ConcurrentDictionary<int, string> otherNumbers = new();

    /// <summary>A row's number written out, as the invoice holds it; null for a draft.</summary>
    public string? NumberOf(in Row row)
    {
        var number = row.Number;
        if (number == NumberParts.Missing) return null;
        if (number == NumberParts.Other) return otherNumbers.TryGetValue(row.Id, out var other) ? other : null;
        return Written(number);
    }

    private static string Written(NumberParts number) =>
        string.Create(CultureInfo.InvariantCulture, $"{Sequences.At(number.Sequence)}-{number.Year:0000}-{number.Place:000000}");

    /// <summary>A number's parts when writing them out gives the same text back; otherwise kept whole under the invoice's id.</summary>
    private NumberParts PartsOf(int id, string? number)
    {
        otherNumbers.TryRemove(id, out _);
        if (number is null) return NumberParts.Missing;
        var placeAt = number.LastIndexOf('-');
        var yearAt = placeAt > 0 ? number.LastIndexOf('-', placeAt - 1) : -1;
        if (yearAt > 0 && placeAt - yearAt == 5
            && short.TryParse(number.AsSpan(yearAt + 1, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(number.AsSpan(placeAt + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var place)
            && Sequences.TryIndexOf(number[..yearAt], out var sequence))
        {
            var parts = new NumberParts(sequence, year, place);
            if (Written(parts) == number) return parts;
        }
        otherNumbers[id] = number;
        return NumberParts.Other;
    }

    /// <summary>Loads the rows on a background thread (a year: 5 to 10 s of reading), so the first list page need not wait (<see cref="RowsWarmUp.InBackground"/>).</summary>
    public void WarmUpInBackground(ILogger logger) => RowsWarmUp.InBackground("invoice", () => Snapshot(), stopping.Token, logger);

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
            Interlocked.Increment(ref generation);
            recent.Clear();
            if (byDate is null) return;
            if (ids is null)
            {
                (byDate, otherNumbers) = (null, new());
                changed.Clear();
                return;
            }
            var pending = new Queue<int>(ids);
            var seen = new HashSet<int>();
            while (pending.TryDequeue(out var id))
            {
                if (!seen.Add(id)) continue;
                if (documents.FindById(id) is not { } document)
                {
                    changed[id] = null;
                    otherNumbers.TryRemove(id, out _);
                    continue;
                }
                var row = RowOf(document);
                changed[id] = row;
                if (row.CreditedById is { } note) pending.Enqueue(note);
                if (row.CreditNoteForId is { } original) pending.Enqueue(original);
                // A partial credit note is written inside its original's update, which names the original only.
                if (document["Credits"].IsArray)
                    foreach (var credit in document["Credits"].AsArray) if (credit["CreditNoteId"].IsNumber) pending.Enqueue(credit["CreditNoteId"].AsInt32);
            }
        }
    }

    /// <summary>
    /// The ids of one page of the matching rows in the asked order, and how many match in all; <paramref name="key"/> names the query, and
    /// <paramref name="unit"/>, when the query asks for one production unit's invoices, lets it read that unit's rows only.
    /// </summary>
    public (IReadOnlyList<int> Ids, int Total) Page(string key, Func<Row, bool> matches, InvoiceSort sort, bool descending, int skip, int take, int? unit = null)
    {
        var ordered = Ordered(key, matches, sort, descending, unit);
        skip = Math.Clamp(skip, 0, ordered.Length);
        take = Math.Clamp(take, 0, Math.Min(1000, ordered.Length - skip));
        return (new ArraySegment<int>(ordered, skip, take), ordered.Length);
    }

    /// <summary>Every matching id in the asked order, for an export read a batch at a time.</summary>
    public IReadOnlyList<int> All(string key, Func<Row, bool> matches, InvoiceSort sort, bool descending, int? unit = null) =>
        Ordered(key, matches, sort, descending, unit);

    /// <summary>Matching ids by due date, oldest first (then by id).</summary>
    public IReadOnlyList<int> ByDueDate(string key, Func<Row, bool> matches) =>
        Cached("due " + key, () => Snapshot().Where(matches).OrderBy(r => r.DueDate).ThenBy(r => r.Id).Select(r => r.Id).ToArray());

    private int[] Ordered(string key, Func<Row, bool> matches, InvoiceSort sort, bool descending, int? unit) =>
        Cached($"{sort} {descending} {key}", () =>
        {
            var all = unit is { } one ? RowsOf(one) : Snapshot();
            if (sort == InvoiceSort.Number)
            {
                // Numbers written out for the matching rows only, for this sort: LiteDB's order (null first, text without regard to case).
                var numbered = new List<(string? Number, int Id)>();
                foreach (var row in all) if (matches(row)) numbered.Add((NumberOf(row), row.Id));
                numbered.Sort((a, b) => Text.Compare(a.Number, b.Number) is var n && n != 0 ? n : a.Id.CompareTo(b.Id));
                if (descending) numbered.Reverse();
                return numbered.Select(r => r.Id).ToArray();
            }
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
        // LiteDB orders text without regard to case (numbers: Ordered).
        InvoiceSort.Country => (a, b) => Text.Compare(a.Country, b.Country) is var c && c != 0 ? c : a.Id.CompareTo(b.Id),
        InvoiceSort.Total => (a, b) => a.TotalAfterCredits.CompareTo(b.TotalAfterCredits) is var t && t != 0 ? t : a.Id.CompareTo(b.Id),
        _ => (a, b) => a.Date.CompareTo(b.Date) is var d && d != 0 ? d : a.Id.CompareTo(b.Id),
    };

    private Row[] Snapshot()
    {
        lock (gate)
        {
            if (byDate is null)
            {
                changed.Clear();
                var loaded = Load();
                Array.Sort(loaded, ByDate);
                return byDate = loaded;
            }
            if (changed.Count == 0) return byDate;
            return byDate = Merged(byDate, changed);
        }
    }

    private static readonly Comparer<Row> ByDate = Comparer<Row>.Create(Comparer(InvoiceSort.Date));

    /// <summary>One unit's rows in date order (then id), as <see cref="Snapshot"/> holds them.</summary>
    private Row[] RowsOf(int unit)
    {
        var all = Snapshot();
        var index = byUnit;
        if (index?.Rows != all)
        {
            var positions = new Dictionary<int, List<int>>();
            for (var i = 0; i < all.Length; i++)
            {
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(positions, all[i].ProductionUnitId, out _);
                (list ??= []).Add(i);
            }
            // Two lists built at once after a write both build it; the last one kept is as good as the other.
            byUnit = index = new UnitPositions(all, positions.ToDictionary(p => p.Key, p => p.Value.ToArray()));
        }
        return index.Positions.TryGetValue(unit, out var at) ? Array.ConvertAll(at, i => all[i]) : [];
    }

    private sealed record UnitPositions(Row[] Rows, Dictionary<int, int[]> Positions);

    /// <summary>
    /// The rows in date order with the written ones in their place: the rows kept and the written ones (sorted on their own) are each in
    /// order, so one pass merges them into a new array; the array readers hold is never changed. Empties <paramref name="written"/>.
    /// </summary>
    private static Row[] Merged(Row[] rows, Dictionary<int, Row?> written)
    {
        var added = written.Values.Where(r => r is not null).Select(r => r!.Value).ToArray();
        Array.Sort(added, ByDate);
        var kept = 0;
        foreach (var row in rows) if (!written.ContainsKey(row.Id)) kept++;
        var merged = new Row[kept + added.Length];
        var (next, a) = (0, 0);
        foreach (var row in rows)
        {
            if (written.ContainsKey(row.Id)) continue;
            while (a < added.Length && ByDate.Compare(added[a], row) < 0) merged[next++] = added[a++];
            merged[next++] = row;
        }
        while (a < added.Length) merged[next++] = added[a++];
        written.Clear();
        return merged;
    }

    // Read in ranges of ids, each its own query. LiteDB keeps every page a query reads pinned in its cache until the query ends (up to
    // 100,000 pages, 800 MB, shared by all queries), and its cache never gives memory back: a range must be read by an index range
    // scan (BETWEEN) that stops at its end. "_id >= a AND _id < b" scans the index from a to the end of the collection, loading every
    // later document to filter it out: loading a year read 2.8 million documents instead of 232,000 and left ~270 MB of pages in the
    // cache. Small ranges keep what one query pins to a few MB.
    private Row[] Load()
    {
        const int range = 2_000;
        otherNumbers.Clear();
        // The highest id from the primary key's end: LiteDB's Max() throws on an empty collection (a fresh store), and counting first
        // would load every document.
        var last = documents.Query().OrderBy("_id", Query.Descending).Limit(1).ToEnumerable().Select(d => d["_id"].AsInt32).FirstOrDefault();
        // Ids count from 1 with few gaps: an array of the highest id's size, grown only past it, cut only if ids were left out.
        var loaded = new Row[Math.Clamp(last + 1, 0, 4_000_000)];
        var count = 0;
        for (var from = 0; from <= last; from += range)
        {
            foreach (var document in documents.Query().Where("_id BETWEEN @0 AND @1", from, from + range - 1)
                .Select("{ _id: $._id, Country: $.Country, Status: $.Status, Date: $.Date, DueDate: $.DueDate, Number: $.Number, Total: $.Total, " +
                        "ProductionUnitId: $.ProductionUnitId, ClientId: $.ClientId, CreditNoteForId: $.CreditNoteForId, CreditedById: $.CreditedById, " +
                        "Credited: SUM($.Credits[*].Gross) }")
                .ToEnumerable())
            {
                stopping.Token.ThrowIfCancellationRequested();
                if (count == loaded.Length) Array.Resize(ref loaded, Math.Max(16, count * 2));
                loaded[count++] = RowOf(document);
            }
        }
        if (count < loaded.Length) Array.Resize(ref loaded, count);
        return loaded;
    }

    private Row RowOf(BsonDocument d)
    {
        var status = Enum.Parse<InvoiceStatus>(d["Status"].AsString, ignoreCase: true);
        var total = d["Total"].IsNull ? 0m : d["Total"].AsDecimal;
        // A whole document (a refresh) carries its credits; a loaded row their sum (Credited), read by the projection.
        var credited = d.TryGetValue("Credited", out var sum) ? (sum.IsNumber ? sum.AsDecimal : 0m)
            : d["Credits"].IsArray ? d["Credits"].AsArray.Sum(c => c["Gross"].IsNumber ? c["Gross"].AsDecimal : 0m) : 0m;
        return RowOf(d, status, total, Invoice.TotalAfterCreditsOf(status, total, credited));
    }

    private Row RowOf(BsonDocument d, InvoiceStatus status, decimal total, decimal afterCredits) => new(
        d["_id"].AsInt32,
        d["Country"].AsString ?? "",
        status,
        d["Date"].AsDateTime.ToDate(),
        d["DueDate"].IsNull ? null : d["DueDate"].AsDateTime.ToDate(),
        PartsOf(d["_id"].AsInt32, d["Number"].IsNull ? null : d["Number"].AsString),
        total,
        d["ProductionUnitId"].AsInt32,
        d["ClientId"].AsInt32,
        d["CreditNoteForId"].IsNull ? null : d["CreditNoteForId"].AsInt32,
        d["CreditedById"].IsNull ? null : d["CreditedById"].AsInt32,
        afterCredits);
}
