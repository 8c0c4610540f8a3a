using System.Globalization;
using LiteDB;
using Smart.Rules.Evaluation;

namespace Smart.Web.Storage;

public sealed class LiteDbInvoiceStore : IInvoiceStore
{
    private static readonly System.Text.Json.JsonSerializerOptions EvaluationJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly ILiteCollection<StoredInvoice> invoices;
    private readonly ILiteCollection<NumberCounter> counters;
    private readonly AuditedCollection<Invoice, StoredInvoice> writes;

    public LiteDbInvoiceStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock)
    {
        invoices = database.GetCollection<StoredInvoice>("invoices");
        counters = database.GetCollection<NumberCounter>("invoiceNumbers");
        writes = new(database, invoices, audit, clock, AuditedEntity.Invoice, StoredInvoice.From, d => d.ToInvoice(),
            i => i.Id, i => i.Version, i => i.Country, (i, id, version) => i with { Id = id, Version = version, Country = i.Country.Trim().ToUpperInvariant() });
        invoices.EnsureIndex(i => i.Country);
        invoices.EnsureIndex(i => i.Status);
        invoices.EnsureIndex(i => i.Date);
        invoices.EnsureIndex(i => i.ProductionUnitId);
        invoices.EnsureIndex(i => i.ClientId);
        invoices.EnsureIndex(i => i.Number);
    }

    public Task<SearchResult<Invoice>> SearchAsync(InvoiceQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(DirectorySearch.Run(invoices, query.Scope, Filters(query), Order(query.Sort), query.Descending, query.Skip, query.Take, d => d.ToInvoice()));

    public IAsyncEnumerable<Invoice> ExportAsync(InvoiceQuery query, CancellationToken cancellationToken = default) =>
        DirectorySearch.ExportAsync(invoices, query.Scope, Filters(query), Order(query.Sort), query.Descending, d => d.ToInvoice(), cancellationToken);

    public Task<Invoice?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(writes.Get(id));

    public Task<Invoice> AddDraftAsync(Invoice invoice, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert([invoice with { Status = InvoiceStatus.Draft, Number = null }], actor)[0]);

    public Task<UpdateOutcome<Invoice>> UpdateDraftAsync(Invoice invoice, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(invoice.Id, actor, stored =>
            stored.Status != InvoiceStatus.Draft || stored.Version != expectedVersion
                ? null
                : invoice with { Country = stored.Country, Status = InvoiceStatus.Draft, Number = null }));

    // The number is taken inside the transaction that marks the invoice issued. LiteDB has a single writer: the edit lock of
    // AuditedCollection and LiteDB's own write lock (a process-wide mutex in shared mode) let one issue run at a time, so two
    // issues never read the same counter, and a failed issue rolls the counter back with the invoice, leaving no gap.
    // A PostgreSQL store would do the same in one database transaction: `UPDATE invoice_numbers SET last = last + 1
    // WHERE country = @c AND year = @y RETURNING last` (the row stays locked until commit, so concurrent issues queue on it),
    // inserting the row first with ON CONFLICT DO NOTHING for a new year; never a database SEQUENCE, which leaves gaps on rollback.
    public Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, InvoiceEvaluation evaluation, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
            stored.Status != InvoiceStatus.Draft || stored.Version != expectedVersion
                ? null
                : stored with { Status = InvoiceStatus.Issued, Number = NextNumber(stored.Country, stored.Date.Year), Evaluation = evaluation }));

    private string NextNumber(string country, int year)
    {
        var key = $"{country}-{year.ToString(CultureInfo.InvariantCulture)}";
        var counter = counters.FindById(key) ?? new NumberCounter { Id = key };
        counter.Last++;
        counters.Upsert(counter);
        return $"{key}-{counter.Last.ToString("000000", CultureInfo.InvariantCulture)}";
    }

    private static List<BsonExpression> Filters(InvoiceQuery query)
    {
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(Query.EQ("Country", query.Country.Trim().ToUpperInvariant()));
        if (query.Status is { } status) filters.Add(Query.EQ("Status", status.ToString()));
        if (query.From is { } from) filters.Add(Query.GTE("Date", from.ToStored()));
        if (query.To is { } to) filters.Add(Query.LTE("Date", to.ToStored()));
        if (query.ProductionUnitId is { } unit) filters.Add(Query.EQ("ProductionUnitId", unit));
        if (query.ClientId is { } client) filters.Add(Query.EQ("ClientId", client));
        return filters;
    }

    private static BsonExpression Order(InvoiceSort sort) => sort switch
    {
        InvoiceSort.Number => "$.Number",
        InvoiceSort.Country => "$.Country",
        InvoiceSort.Total => "$.Total",
        _ => "$.Date",
    };

    private sealed class NumberCounter
    {
        /// <summary>Country and year: BE-2026.</summary>
        public string Id { get; set; } = "";
        public int Last { get; set; }
    }

    private sealed class LineDocument
    {
        public string Description { get; set; } = "";
        public string Category { get; set; } = "";
        public decimal Quantity { get; set; }
        public decimal UnitPrice { get; set; }
    }

    private sealed class StoredInvoice
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public int ProductionUnitId { get; set; }
        public int ClientId { get; set; }
        public string Issuer { get; set; } = "";
        public DateTime Date { get; set; }
        public DateTime? DueDate { get; set; }
        public string ServiceLevel { get; set; } = "";
        public List<LineDocument> Lines { get; set; } = [];
        public InvoiceStatus Status { get; set; }
        public string? Number { get; set; }
        /// <summary>The gross total of the evaluation, for sorting.</summary>
        public decimal Total { get; set; }
        /// <summary>The evaluation as the API writes it: its trace holds values of any type, which JSON keeps as they were.</summary>
        public string? Evaluation { get; set; }
        public int Version { get; set; }

        public static StoredInvoice From(Invoice i) => new()
        {
            Id = i.Id, Country = i.Country, ProductionUnitId = i.ProductionUnitId, ClientId = i.ClientId, Issuer = i.Issuer,
            Date = i.Date.ToStored(), DueDate = i.DueDate?.ToStored(), ServiceLevel = i.ServiceLevel,
            Lines = i.Lines.Select(l => new LineDocument { Description = l.Description, Category = l.Category, Quantity = l.Quantity, UnitPrice = l.UnitPrice }).ToList(),
            Status = i.Status, Number = i.Number, Total = i.Evaluation?.Totals.Gross ?? 0m,
            Evaluation = i.Evaluation is null ? null : System.Text.Json.JsonSerializer.Serialize(i.Evaluation, EvaluationJson), Version = i.Version,
        };

        public Invoice ToInvoice() => new()
        {
            Id = Id, Country = Country, ProductionUnitId = ProductionUnitId, ClientId = ClientId, Issuer = Issuer,
            Date = Date.ToDate(), DueDate = DueDate?.ToDate(), ServiceLevel = ServiceLevel,
            Lines = Lines.Select(l => new InvoiceLineItem(l.Description, l.Category, l.Quantity, l.UnitPrice)).ToList(),
            Status = Status, Number = Number,
            Evaluation = Evaluation is null ? null : System.Text.Json.JsonSerializer.Deserialize<InvoiceEvaluation>(Evaluation, EvaluationJson), Version = Version,
        };
    }
}
