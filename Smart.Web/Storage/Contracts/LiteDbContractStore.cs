using LiteDB;
using Smart.Rules.Evaluation;
using Smart.Web.Reevaluation;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.Contracts;

public sealed class LiteDbContractStore : IContractStore
{
    public const string AuditedEntityType = "contract";

    private readonly ILiteCollection<ContractDocument> contracts;
    private readonly LiteDatabase database;
    private readonly AuditedCollection<Contract, ContractDocument> writes;
    private readonly SearchTotals totals = new();
    private readonly StoredEvaluations<ContractEvaluation> evaluations;
    private readonly Budget.LiteDbLedgerStore ledger;
    private readonly TimeProvider clock;

    public LiteDbContractStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock, Budget.LiteDbLedgerStore? ledger = null)
    {
        this.database = database;
        contracts = database.GetCollection<ContractDocument>("contracts");
        this.clock = clock;
        this.ledger = ledger ?? new Budget.LiteDbLedgerStore(database, clock);
        evaluations = new(database, "contractEvaluations");
        evaluations.MoveEmbedded("contracts");
        writes = new(database, contracts, audit, clock, AuditedEntityType, ContractDocument.From, Full,
            c => c.Id, c => c.Version, c => c.Country, (c, id, version) => c with { Id = id, Version = version, Country = CountryCode.Normalise(c.Country) });
        writes.Committed = totals.Clear;
        // Every save (a form, a re-evaluation, the salary guarantee job) moves the unit's reservation in its own transaction.
        writes.Alongside = (before, after, actor) => WriteAlongside(before, after, actor, this.ledger.ReservedBy(Budget.LedgerSource.Contract, after.Id));
        contracts.EnsureIndex(c => c.Country);
        contracts.EnsureIndex(c => c.Status);
        contracts.EnsureIndex(c => c.ProductionUnitId);
        contracts.EnsureIndex(c => c.StartDate);
    }

    public Task<SearchResult<Contract>> SearchAsync(ContractQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(DirectorySearch.Run(contracts, query.Scope, Filters(query), Order(query.Sort), query.Descending, query.Skip, query.Take, Full, totals,
            SearchTotals.KeyOf(query with { Skip = 0, Take = 0, Sort = default, Descending = false })));

    public IAsyncEnumerable<Contract> ExportAsync(ContractQuery query, CancellationToken cancellationToken = default) =>
        DirectorySearch.ExportAsync(contracts, query.Scope, Filters(query), Order(query.Sort), query.Descending, Full, cancellationToken);

    public Task<Contract?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(writes.Get(id));

    public Task<decimal> HeldBudgetAsync(int productionUnitId, int? exceptContractId, CancellationToken cancellationToken = default) =>
        Task.FromResult(contracts.Query()
            .Where(c => c.ProductionUnitId == productionUnitId && c.Status == ContractStatus.Draft)
            .Select(c => new { c.Id, c.Budget })
            .ToEnumerable()
            .Where(c => c.Id != exceptContractId)
            .Sum(c => c.Budget));

    public Task<UpdateOutcome<Contract>> PaySalaryAsync(int id, DateOnly paidOn, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
            stored.CanPaySalary ? stored.PaySalary(paidOn) : null));

    // Walks the confirmed unpaid contracts by id (the status index) and keeps those whose salary is due (Contract.IsSalaryDueOn).
    public Task<IReadOnlyList<Contract>> SalaryDueAsync(DateOnly today, int afterId, int take, CancellationToken cancellationToken = default)
    {
        var due = new List<Contract>();
        var cursor = afterId;
        while (due.Count < take)
        {
            var batch = contracts.Query().Where(StoredFilter.Above("_id", cursor)).Where("$.Status = @0 AND $.SalaryPaidOn = null", nameof(ContractStatus.Confirmed))
                .OrderBy("_id").Limit(500).ToList();
            if (batch.Count == 0) break;
            due.AddRange(Full(batch).Where(c => c.IsSalaryDueOn(today)));
            cursor = batch[^1].Id;
        }
        IReadOnlyList<Contract> rows = due.Take(take).ToList();
        return Task.FromResult(rows);
    }

    public Task<Contract> AddAsync(Contract contract, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert([contract], actor)[0]);

    /// <summary>Bulk-loads generated contracts, evaluated, into a fresh store (no audit entry each): see tools/Smart.Volume. Returns the ids given, in order.</summary>
    public IReadOnlyList<int> ImportMany(IEnumerable<Contract> generated)
    {
        var documents = writes.InsertBulk(generated);
        evaluations.InsertMany(documents.Select(d => (d.Id, d.Carried)));
        return documents.Select(d => d.Id).ToList();
    }

    public Task<UpdateOutcome<Contract>> UpdateAsync(Contract contract, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(contract, expectedVersion, actor));

    // Walks the primary key from the cursor and filters the status there (an IN over a parameter is not matched to the status index): most
    // contracts are draft or confirmed, and an index on status would have to sort all of them again for each batch. The filter is
    // Contract.CanBeReevaluated's (status in the list, salary not paid): a paid contract's evaluation is not even read.
    public Task<IReadOnlyList<Contract>> AfterAsync(string? country, IReadOnlyCollection<ContractStatus> statuses, int afterId, int take,
        CancellationToken cancellationToken = default)
    {
        var query = contracts.Query().Where(StoredFilter.Above("_id", afterId))
            .Where(BsonExpression.Create("$.Status IN @0 AND $.SalaryPaidOn = null", new BsonArray(statuses.Select(s => new BsonValue(s.ToString())))));
        if (country is not null) query = query.Where("UPPER($.Country) = @0", CountryCode.Normalise(country));
        IReadOnlyList<Contract> rows = WithoutTrace(query.OrderBy("_id").Limit(take).ToList());
        return Task.FromResult(rows);
    }

    public Task<IReadOnlyList<Contract>> StartingAfterAsync(string country, DateOnly from, DateOnly to, int afterId, int take, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Contract> rows = Full(contracts.Query().Where(StoredFilter.Above("_id", afterId))
            .Where("UPPER($.Country) = @0 AND ($.StartDate >= @1 AND $.StartDate <= @2) = true",
                CountryCode.Normalise(country), from.ToStored(), to.ToStored())
            .OrderBy("_id").Limit(take).ToList());
        return Task.FromResult(rows);
    }

    /// <summary>
    /// A batch of a run, read in one query per collection inside its transaction: the contracts without their evaluations (what a
    /// re-evaluation checks and what its ledger rule reads are the contract's own fields: status, version, salary paid; the audit entry
    /// describes the evaluation the run read), and what each holds in the ledger.
    /// </summary>
    public Task<IReadOnlyList<bool>> ReplaceEvaluationsAsync(IReadOnlyList<EvaluationReplacement<ContractEvaluation>> replacements,
        IReadOnlyCollection<ContractStatus> statuses, AuditActor actor, RunAdvance? advance = null, CancellationToken cancellationToken = default)
    {
        var changes = replacements.ToDictionary(r => r.Id, r => r.Changes);
        var held = new Dictionary<int, decimal>();
        IReadOnlyList<bool> written = writes.UpdateMany(
            replacements.Select(r => (r.Id, (Func<Contract, Contract?>)(stored =>
                stored.CanBeReevaluated(statuses, r.ExpectedVersion) ? stored.WithEvaluation(r.Evaluation) : null))).ToList(),
            actor, (_, updated) => changes[updated.Id], LiteDbReevaluationStore.Advancing(database, advance),
            ids =>
            {
                held = ledger.ReservedBy(Budget.LedgerSource.Contract, ids);
                return contracts.Find(StoredFilter.Ids(ids)).ToDictionary(d => d.Id, d => d.ToContract(null));
            },
            (before, after, actor) => WriteAlongside(before, after, actor, held[after.Id]));
        return Task.FromResult(written);
    }

    /// <summary>What a contract's save writes with it: its evaluation, and the change of what it holds in its unit's ledger (<paramref name="held"/> before).</summary>
    private void WriteAlongside(Contract? before, Contract after, AuditActor actor, decimal held)
    {
        evaluations.Write(after.Id, before?.Evaluation, after.Evaluation);
        ledger.WriteWithin(Budget.LedgerRules.Contract(before, after, held,
            Budget.LedgerRules.ContractReadsUnitTotals(before, after) ? ledger.TotalsOf(after.ProductionUnitId) : Budget.LedgerTotals.None,
            DateOnly.FromDateTime(clock.GetLocalNow().DateTime), actor, clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Documents as contracts, in their order, each evaluation without its trace: what a run compares (it writes the trace of what changed).</summary>
    private List<Contract> WithoutTrace(IReadOnlyList<ContractDocument> documents)
    {
        var found = evaluations.ReadWithoutTrace(documents.Select(d => d.Id));
        return documents.Select(d => d.ToContract(found.GetValueOrDefault(d.Id))).ToList();
    }

    /// <summary>A document as the contract it stores, its evaluation read from its own collection (or the one it was just written with).</summary>
    private Contract Full(ContractDocument document) => document.ToContract(document.Carries ? document.Carried : evaluations.Read(document.Id));

    /// <summary>Documents as contracts, in their order, their evaluations read in one query.</summary>
    private List<Contract> Full(IReadOnlyList<ContractDocument> documents)
    {
        var found = evaluations.Read(documents.Where(d => !d.Carries).Select(d => d.Id));
        return documents.Select(d => d.ToContract(d.Carries ? d.Carried : found.GetValueOrDefault(d.Id))).ToList();
    }

    private static List<BsonExpression> Filters(ContractQuery query)
    {
        var filters = new List<BsonExpression>();
        if (!string.IsNullOrWhiteSpace(query.Country)) filters.Add(StoredFilter.Equal("Country", CountryCode.Normalise(query.Country)));
        if (query.Status is { } status) filters.Add(StoredFilter.Equal("Status", status.ToString()));
        if (query.ProductionUnitId is { } unitId) filters.Add(StoredFilter.Equal("ProductionUnitId", unitId));
        if (query.SalaryPaid is { } paid) filters.Add(paid ? "$.SalaryPaidOn != null" : "$.SalaryPaidOn = null");
        if (query.StartFrom is { } from) filters.Add(StoredFilter.AtLeast("StartDate", from.ToStored()));
        if (query.StartTo is { } to) filters.Add(StoredFilter.AtMost("StartDate", to.ToStored()));
        return filters;
    }

    private static BsonExpression Order(ContractSort sort) => sort switch
    {
        ContractSort.Country => "$.Country + ' ' + $.SortDate",
        ContractSort.Status => "$.Status + ' ' + $.SortDate",
        ContractSort.Budget => "$.Budget",
        _ => "$.StartDate",
    };

    /// <summary>Every contract with its evaluation, in id order, a batch of evaluations per read (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<Contract> All() => contracts.PagesById(c => c.Id).SelectMany(Full);

    private sealed class ContractDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public int ProductionUnitId { get; set; }
        public int MemberId { get; set; }
        public DateTime StartDate { get; set; }
        public DateTime? EndDate { get; set; }
        public int Days { get; set; }
        public decimal Hours { get; set; }
        public string JobCategory { get; set; } = "";
        public decimal Budget { get; set; }
        public ContractStatus Status { get; set; }
        public DateTime? SalaryPaidOn { get; set; }
        public int? JobInvoiceId { get; set; }
        /// <summary>The evaluation this document was made from, not stored here (<see cref="StoredEvaluations{T}"/>); false <see cref="Carries"/> when read from the file.</summary>
        [BsonIgnore] public ContractEvaluation? Carried { get; private set; }
        [BsonIgnore] public bool Carries { get; private set; }
        public int Version { get; set; }
        /// <summary>The start date as text, so a sort on country or status can break ties by date in one expression.</summary>
        public string SortDate { get; set; } = "";

        public static ContractDocument From(Contract c) => new()
        {
            Id = c.Id, Country = c.Country, ProductionUnitId = c.ProductionUnitId, MemberId = c.MemberId, StartDate = c.StartDate.ToStored(),
            EndDate = c.EndDate?.ToStored(), Days = c.Days, Hours = c.Hours, JobCategory = c.JobCategory, Budget = c.Budget, Status = c.Status,
            SalaryPaidOn = c.SalaryPaidOn?.ToStored(), JobInvoiceId = c.JobInvoiceId,
            Carried = c.Evaluation, Carries = true, Version = c.Version,
            SortDate = c.StartDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };

        public Contract ToContract(ContractEvaluation? evaluation) => new Contract
        {
            Id = Id, Country = Country, ProductionUnitId = ProductionUnitId, MemberId = MemberId, StartDate = StartDate.ToDate(),
            EndDate = EndDate?.ToDate(), Days = Days, Hours = Hours, JobCategory = JobCategory, Budget = Budget, Status = Status,
            SalaryPaidOn = SalaryPaidOn?.ToDate(), JobInvoiceId = JobInvoiceId, Version = Version,
        }.WithEvaluation(evaluation);
    }
}
