using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.EInvoicing;

/// <summary>
/// The outbox in LiteDB (collection <c>einvoiceOutbox</c>), one document per invoice. An entry is inserted by the invoice store in the
/// issuing transaction (<see cref="Generated"/>), so an issued e-invoice without an entry cannot exist. Each change checks the status and
/// attempt it expects, in one LiteDB write: two runs of the job never both mark the same hand-over.
/// </summary>
public sealed class LiteDbOutboxStore : IOutboxStore
{
    public const string CollectionName = "einvoiceOutbox";

    private readonly ILiteCollection<StoredEntry> entries;
    private readonly object writeLock = new();

    public LiteDbOutboxStore(LiteDatabase database)
    {
        entries = Collection(database);
        entries.EnsureIndex(e => e.Status);
        entries.EnsureIndex(e => e.Country);
        entries.EnsureIndex(e => e.Number);
    }

    internal static ILiteCollection<StoredEntry> Collection(LiteDatabase database) => database.GetCollection<StoredEntry>(CollectionName);

    /// <summary>The entry of an e-invoice just issued; null when it has no e-invoice (a PDF only).</summary>
    internal static StoredEntry? Generated(Invoice issued, InvoiceFiles files, DateTime now) =>
        OutboxEntry.Generated(issued, files, now) is { } entry ? StoredEntry.From(entry) : null;

    public Task<OutboxEntry?> GetAsync(int invoiceId, CancellationToken cancellationToken = default) => Task.FromResult(entries.FindById(invoiceId)?.ToEntry());

    public Task<SearchResult<OutboxEntry>> SearchAsync(OutboxQuery query, CancellationToken cancellationToken = default)
    {
        // Scoped, counted and paged by LiteDB on its indexes, as the directory searches are: a year's outbox is never read whole.
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(StoredFilter.Equal("Country", CountryCode.Normalise(query.Country)));
        if (query.Status is { } status) filters.Add(StoredFilter.Equal("Status", status.ToString()));
        return Task.FromResult(DirectorySearch.Run(entries, query.Scope, filters, BsonExpression.Create("_id"), descending: true,
            (Math.Max(query.Page, 1) - 1) * query.Take, query.Take, e => e.ToEntry()));
    }

    public Task<IReadOnlyList<OutboxEntry>> WithStatusAsync(OutboxStatus status, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<OutboxEntry> found = entries.Find(e => e.Status == status).OrderBy(e => e.Id).Select(e => e.ToEntry()).ToList();
        return Task.FromResult(found);
    }

    public Task<bool> MarkHandedOverAsync(int invoiceId, int attempt, DateTime at, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(invoiceId, e => e.Status == OutboxStatus.Generated && e.Attempt == attempt,
            e => { e.Status = OutboxStatus.HandedOver; e.HandedOverAt = at; }));

    public Task<bool> AnswerAsync(int invoiceId, int attempt, bool delivered, string? reason, DateTime at, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(invoiceId, e => e.Status == OutboxStatus.HandedOver && e.Attempt == attempt,
            e => { e.Status = delivered ? OutboxStatus.Delivered : OutboxStatus.Rejected; e.Reason = reason; e.AnsweredAt = at; }));

    public Task<bool> RetryAsync(int invoiceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Change(invoiceId, e => e.Status == OutboxStatus.Rejected,
            e => { e.Status = OutboxStatus.Generated; e.Attempt++; e.HandedOverAt = null; e.AnsweredAt = null; e.Reason = null; }));

    private bool Change(int invoiceId, Func<StoredEntry, bool> expected, Action<StoredEntry> change)
    {
        lock (writeLock)
        {
            var stored = entries.FindById(invoiceId);
            if (stored is null || !expected(stored)) return false;
            change(stored);
            return entries.Update(stored);
        }
    }

    /// <summary>Every entry (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<OutboxEntry> All() => entries.Find(Query.All("_id")).Select(e => e.ToEntry());

    internal sealed class StoredEntry
    {
        [BsonId(autoId: false)] public int Id { get; set; }
        public string Number { get; set; } = "";
        public string Country { get; set; } = "";
        public string Channel { get; set; } = "";
        public string Format { get; set; } = "";
        public string BaseFileName { get; set; } = "";
        public OutboxStatus Status { get; set; }
        public int Attempt { get; set; }
        public DateTime GeneratedAt { get; set; }
        public DateTime? HandedOverAt { get; set; }
        public DateTime? AnsweredAt { get; set; }
        public string? Reason { get; set; }

        public static StoredEntry From(OutboxEntry e) => new()
        {
            Id = e.InvoiceId, Number = e.Number, Country = e.Country, Channel = e.Channel, Format = e.Format, BaseFileName = e.BaseFileName, Status = e.Status,
            Attempt = e.Attempt, GeneratedAt = e.GeneratedAt, HandedOverAt = e.HandedOverAt, AnsweredAt = e.AnsweredAt, Reason = e.Reason,
        };

        public OutboxEntry ToEntry() => new(Id, Number, Country, Channel, Format, BaseFileName, Status, Attempt, GeneratedAt, HandedOverAt, AnsweredAt, Reason);
    }
}
