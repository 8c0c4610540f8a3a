using System.Text.Json;
using LiteDB;
using Smart.Rules.Evaluation;
using Smart.Web.Storage.Audit;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace Smart.Web.Storage.ExpenseClaims;

public sealed class LiteDbExpenseClaimStore : IExpenseClaimStore
{
    public const string AuditedEntityType = "expense-claim";

    // The evaluation is kept as the API writes it: LiteDB's mapper cannot rebuild its records or DateOnly values.
    private static readonly JsonSerializerOptions EvaluationJson = new(JsonSerializerDefaults.Web);

    private readonly ILiteCollection<ClaimDocument> claims;
    private readonly ILiteCollection<ReceiptDocument> receipts;
    private readonly AuditedCollection<ExpenseClaim, ClaimDocument> writes;
    private readonly SearchTotals totals = new();
    private readonly TimeProvider clock;

    public LiteDbExpenseClaimStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock, Budget.LiteDbLedgerStore? ledger = null)
    {
        this.clock = clock;
        claims = database.GetCollection<ClaimDocument>("expenseClaims");
        // Receipts apart from the claims, as invoice files are: lists and searches never read their bytes.
        receipts = database.GetCollection<ReceiptDocument>("expenseReceipts");
        writes = new(database, claims, audit, clock, AuditedEntityType, ClaimDocument.From, d => d.ToClaim(),
            c => c.Id, c => c.Version, c => c.Country, (c, id, version) => c with { Id = id, Version = version, Country = CountryCode.Normalise(c.Country) });
        writes.Committed = totals.Clear;
        ledger ??= new Budget.LiteDbLedgerStore(database, clock);
        // An approval spends the claim's charge from its unit's budget in the same transaction: both happen, or neither.
        // The budget is checked again here, inside the transaction: two approvals on one unit at once cannot both spend the same money.
        writes.Alongside = (before, after, actor) =>
        {
            if (!ExpenseClaim.IsApproval(before, after)) return;
            var available = ledger.TotalsOf(after.ProductionUnitId).Available;
            if (!after.FitsBudget(available)) throw new Budget.BudgetExceededException(available);
            ledger.WriteWithin([Budget.LedgerRules.ExpenseClaim(after, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), actor, clock.GetUtcNow().UtcDateTime)]);
        };
        claims.EnsureIndex(c => c.Country);
        claims.EnsureIndex(c => c.Status);
        claims.EnsureIndex(c => c.ProductionUnitId);
        claims.EnsureIndex(c => c.Date);
    }

    public Task<SearchResult<ExpenseClaim>> SearchAsync(ExpenseClaimQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(DirectorySearch.Run(claims, query.Scope, Filters(query), Order(query.Sort), query.Descending, query.Skip, query.Take, d => d.ToClaim(), totals,
            SearchTotals.KeyOf(query with { Skip = 0, Take = 0, Sort = default, Descending = false })));

    public IAsyncEnumerable<ExpenseClaim> ExportAsync(ExpenseClaimQuery query, CancellationToken cancellationToken = default) =>
        DirectorySearch.ExportAsync(claims, query.Scope, Filters(query), Order(query.Sort), query.Descending, d => d.ToClaim(), cancellationToken);

    public Task<ExpenseClaim?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(writes.Get(id));

    public Task<ExpenseClaim> AddAsync(ExpenseClaim claim, ExpenseReceipt? receipt, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert(claim, actor, stored =>
        {
            if (receipt is not null) receipts.Insert(ReceiptDocument.From(receipt with { ClaimId = stored.Id }));
        }));

    public Task<ExpenseReceipt?> ReceiptAsync(int claimId, CancellationToken cancellationToken = default) =>
        Task.FromResult(receipts.FindById(claimId)?.ToReceipt());

    public Task<decimal> ApprovedChargesAsync(int productionUnitId, int? exceptClaimId, CancellationToken cancellationToken = default) =>
        Task.FromResult(claims.Query()
            .Where(c => c.ProductionUnitId == productionUnitId && c.Status == ExpenseClaimStatus.Approved)
            .ToEnumerable()
            .Where(c => c.Id != exceptClaimId)
            .Sum(c => c.ToClaim().ChargedToUnit ?? 0m));

    public Task<UpdateOutcome<ExpenseClaim>> DecideAsync(int id, int expectedVersion, ExpenseClaimStatus decision, string? reason, AuditActor actor,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
            stored.CanBeDecided(expectedVersion) ? stored.Decide(decision, reason, actor.Name, clock.GetUtcNow().UtcDateTime) : null));

    private static List<BsonExpression> Filters(ExpenseClaimQuery query)
    {
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(StoredFilter.Equal("Country", CountryCode.Normalise(query.Country)));
        if (query.Status is { } status) filters.Add(StoredFilter.Equal("Status", status.ToString()));
        if (query.ProductionUnitId is { } unitId) filters.Add(StoredFilter.Equal("ProductionUnitId", unitId));
        if (!string.IsNullOrWhiteSpace(query.Category)) filters.Add(StoredFilter.Equal("Category", query.Category.Trim()));
        if (query.From is { } from) filters.Add(StoredFilter.AtLeast("Date", from.ToStored()));
        if (query.To is { } to) filters.Add(StoredFilter.AtMost("Date", to.ToStored()));
        return filters;
    }

    private static BsonExpression Order(ExpenseClaimSort sort) => sort switch
    {
        ExpenseClaimSort.Country => "$.Country + ' ' + $.SortDate",
        ExpenseClaimSort.Status => "$.Status + ' ' + $.SortDate",
        ExpenseClaimSort.Amount => "$.Charged",
        _ => "$.Date",
    };

    /// <summary>Every claim in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<ExpenseClaim> All() => claims.Find(Query.All("_id")).Select(d => d.ToClaim());

    /// <summary>Every receipt (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<ExpenseReceipt> Receipts() => receipts.Find(Query.All("_id")).Select(d => d.ToReceipt());

    private sealed class ClaimDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public int ProductionUnitId { get; set; }
        public int MemberId { get; set; }
        public DateTime Date { get; set; }
        public string Supplier { get; set; } = "";
        public string Category { get; set; } = "";
        public decimal? Amount { get; set; }
        public decimal? Vat { get; set; }
        public decimal? Kilometres { get; set; }
        public int? Days { get; set; }
        public string? ReceiptFileName { get; set; }
        public string? ReceiptContentType { get; set; }
        public ExpenseClaimStatus Status { get; set; }
        public string? RefusalReason { get; set; }
        public string? DecidedBy { get; set; }
        public DateTime? DecidedAt { get; set; }
        public string? Evaluation { get; set; }
        /// <summary>What the unit is charged, beside the evaluation so the list can sort on it.</summary>
        public decimal Charged { get; set; }
        public int Version { get; set; }
        public string SortDate { get; set; } = "";

        public static ClaimDocument From(ExpenseClaim c) => new()
        {
            Id = c.Id, Country = c.Country, ProductionUnitId = c.ProductionUnitId, MemberId = c.MemberId, Date = c.Date.ToStored(), Supplier = c.Supplier,
            Category = c.Category, Amount = c.Amount, Vat = c.Vat, Kilometres = c.Kilometres, Days = c.Days, ReceiptFileName = c.ReceiptFileName,
            ReceiptContentType = c.ReceiptContentType, Status = c.Status, RefusalReason = c.RefusalReason, DecidedBy = c.DecidedBy, DecidedAt = c.DecidedAt,
            Evaluation = c.Evaluation is null ? null : JsonSerializer.Serialize(c.Evaluation, EvaluationJson), Charged = c.ChargedToUnit ?? 0m,
            Version = c.Version, SortDate = c.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };

        public ExpenseClaim ToClaim() => new ExpenseClaim
        {
            Id = Id, Country = Country, ProductionUnitId = ProductionUnitId, MemberId = MemberId, Date = Date.ToDate(), Supplier = Supplier,
            Category = Category, Amount = Amount, Vat = Vat, Kilometres = Kilometres, Days = Days, ReceiptFileName = ReceiptFileName,
            ReceiptContentType = ReceiptContentType, Status = Status, RefusalReason = RefusalReason, DecidedBy = DecidedBy,
            DecidedAt = DecidedAt is { } at ? DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc) : null, Version = Version,
        }.WithEvaluation(Evaluation is null ? null : JsonSerializer.Deserialize<ExpenseEvaluation>(Evaluation, EvaluationJson));
    }

    private sealed class ReceiptDocument
    {
        [BsonId(autoId: false)] public int Id { get; set; }
        public string FileName { get; set; } = "";
        public string ContentType { get; set; } = "";
        public byte[] Content { get; set; } = [];

        public static ReceiptDocument From(ExpenseReceipt r) => new() { Id = r.ClaimId, FileName = r.FileName, ContentType = r.ContentType, Content = r.Content };

        public ExpenseReceipt ToReceipt() => new(Id, FileName, ContentType, Content);
    }
}
