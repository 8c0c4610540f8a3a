using System.Globalization;
using LiteDB;
using Smart.Rules.Evaluation;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Storage.Invoices;

public sealed class LiteDbInvoiceStore : IInvoiceStore, IDisposable, IWarmsUp
{
    private readonly ILiteCollection<StoredInvoice> invoices;
    private readonly ILiteCollection<NumberCounter> counters;
    private readonly AuditedCollection<Invoice, StoredInvoice> writes;
    private readonly ILiteCollection<AuthorRightsYear> authorRightsYears;
    private readonly LiteDbAuditLog audit;
    private readonly TimeProvider clock;
    private readonly InvoiceRows rows;
    private readonly ILiteCollection<StoredFiles> files;
    private readonly ILiteCollection<LiteDbOutboxStore.StoredEntry> outbox;
    private readonly StoredEvaluations<InvoiceEvaluation> evaluations;
    private readonly LiteDatabase database;

    public LiteDbInvoiceStore(LiteDatabase database, LiteDbAuditLog audit, TimeProvider clock, Smart.Web.Budget.LiteDbLedgerStore? ledger = null)
    {
        ledger ??= new Smart.Web.Budget.LiteDbLedgerStore(database, clock);
        this.database = database;
        authorRightsYears = database.GetCollection<AuthorRightsYear>("authorRightsYears");
        (this.audit, this.clock) = (audit, clock);
        invoices = database.GetCollection<StoredInvoice>("invoices");
        counters = database.GetCollection<NumberCounter>("invoiceNumbers");
        files = database.GetCollection<StoredFiles>("invoiceFiles");
        outbox = LiteDbOutboxStore.Collection(database);
        evaluations = new(database, "invoiceEvaluations");
        evaluations.MoveEmbedded("invoices");
        writes = new(database, invoices, audit, clock, AuditedEntity.Invoice, StoredInvoice.From, Full,
            i => i.Id, i => i.Version, i => i.Country, (i, id, version) => i with { Id = id, Version = version, Country = CountryCode.Normalise(i.Country) });
        invoices.EnsureIndex(i => i.Country);
        invoices.EnsureIndex(i => i.Status);
        invoices.EnsureIndex(i => i.Date);
        invoices.EnsureIndex(i => i.ProductionUnitId);
        invoices.EnsureIndex(i => i.ClientId);
        invoices.EnsureIndex(i => i.Number);
        invoices.EnsureIndex(i => i.DueDate);
        writes.Alongside = (before, after, actor) =>
        {
            evaluations.Write(after.Id, before?.Evaluation, after.Evaluation);
            WriteLedger(ledger, before, after, actor);
        };
        rows = new InvoiceRows(database, "invoices");
        writes.Committed = rows.Refresh;
    }

    /// <summary>The container disposes the store before the file: a warm-up of its rows still reading stops.</summary>
    public void Dispose() => rows.Stop();

    // Lists, exports and the past-due walk filter and order the rows held in memory (InvoiceRows), then read only the documents they return.
    /// <summary>Starts loading the rows in memory on a background thread: once the app answers (<see cref="RowsWarmUp"/>).</summary>
    public void WarmUp(ILogger logger) => rows.WarmUpInBackground(logger);

    /// <summary>One key read from the primary index, not the rows in memory: start-up asks before they are loaded.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => Task.FromResult(invoices.Query().Exists());

    public Task<SearchResult<Invoice>> SearchAsync(InvoiceQuery query, CancellationToken cancellationToken = default)
    {
        if (query.Scope.Countries is { Count: 0 }) return Task.FromResult(SearchResult<Invoice>.Empty);
        var (ids, total) = rows.Page(KeyOf(query), Matches(query), query.Sort, query.Descending, query.Skip, query.Take, query.ProductionUnitId);
        return Task.FromResult(new SearchResult<Invoice>(Read(ids), total));
    }

    public IAsyncEnumerable<Invoice> ExportAsync(InvoiceQuery query, CancellationToken cancellationToken = default) =>
        query.Scope.Countries is { Count: 0 } ? AsyncEnumerable.Empty<Invoice>() : ReadInBatchesAsync(rows.All(KeyOf(query), Matches(query), query.Sort, query.Descending, query.ProductionUnitId), cancellationToken);

    public Task<Invoice?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(writes.Get(id));

    public IAsyncEnumerable<Invoice> PastDueAsync(CountryScope scope, DateOnly today, CancellationToken cancellationToken = default) =>
        ReadInBatchesAsync(rows.ByDueDate(string.Create(CultureInfo.InvariantCulture, $"{scope} {today}"), r => scope.Countries?.Contains(r.Country) != false
            && r.StatusOn(today) == InvoiceStatus.Overdue), cancellationToken);

    public IAsyncEnumerable<Invoice> OpenAsync(CountryScope scope, CancellationToken cancellationToken = default) =>
        ReadInBatchesAsync(rows.ByDueDate($"open {scope}", r => scope.Countries?.Contains(r.Country) != false
            && Invoice.AwaitsPaymentWith(r.Status, r.CreditNoteForId is not null)), cancellationToken);

    /// <summary>
    /// The documents of these ids, in this order (one dropped meanwhile is skipped), for a list: each evaluation without its trace, as the
    /// PostgreSQL store lists them.
    /// </summary>
    private List<Invoice> Read(IReadOnlyList<int> ids)
    {
        if (ids.Count == 0) return [];
        var found = invoices.Find(StoredFilter.Ids(ids)).ToDictionary(d => d.Id);
        return WithoutTrace(ids.Where(found.ContainsKey).Select(id => found[id]).ToList());
    }

    /// <summary>Documents as invoices, in their order, each evaluation without its trace.</summary>
    private List<Invoice> WithoutTrace(IReadOnlyList<StoredInvoice> documents)
    {
        var evaluated = evaluations.ReadWithoutTrace(documents.Select(d => d.Id));
        return documents.Select(d => d.ToInvoice(evaluated.GetValueOrDefault(d.Id))).ToList();
    }

    /// <summary>A document as the invoice it stores, its evaluation read from its own collection (or the one it was just written with).</summary>
    private Invoice Full(StoredInvoice document) => document.ToInvoice(document.Carries ? document.Carried : evaluations.Read(document.Id));

    /// <summary>Documents as invoices, in their order, their evaluations read in one query.</summary>
    private List<Invoice> Full(IReadOnlyList<StoredInvoice> documents)
    {
        var found = evaluations.Read(documents.Where(d => !d.Carries).Select(d => d.Id));
        return documents.Select(d => d.ToInvoice(d.Carries ? d.Carried : found.GetValueOrDefault(d.Id))).ToList();
    }

    /// <summary>Reads a batch at a time, each batch its own short read, so a slow download never holds the database.</summary>
    private async IAsyncEnumerable<Invoice> ReadInBatchesAsync(IReadOnlyList<int> ids, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A small first batch: the home page stops after its ten oldest overdue invoices.
        for (int start = 0, size = 20; start < ids.Count; start += size, size = 500)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var invoice in Read(ids.Skip(start).Take(size).ToList())) yield return invoice;
            await Task.Yield();
        }
    }

    public Task<Invoice> AddDraftAsync(Invoice invoice, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Insert([invoice with { Status = InvoiceStatus.Draft, Number = null }], actor)[0]);

    public Task<UpdateOutcome<Invoice>> UpdateDraftAsync(Invoice invoice, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(invoice.Id, actor, stored =>
            !stored.IsDraftAt(expectedVersion)
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
            stored.CanBeIssued(expectedVersion) ? stored.Issue(NextNumber(stored.Country, stored.Date.Year), evaluation) : null));

    public Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, InvoiceEvaluation evaluation, int? memberId, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
        {
            if (!stored.CanBeIssued(expectedVersion)) return null;
            // The member's income of the year moves in the issue's transaction: an issue that rolls back never counts.
            if (memberId is { } member) AddIncome(member, stored, MemberIncome.Of(evaluation), actor);
            return stored.Issue(NextNumber(stored.Country, stored.Date.Year), evaluation);
        }));

    public Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, InvoiceEvaluation evaluation, int? memberId, AuditActor actor,
        Func<Invoice, InvoiceFiles> made, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
        {
            if (!stored.CanBeIssued(expectedVersion)) return null;
            if (memberId is { } member) AddIncome(member, stored, MemberIncome.Of(evaluation), actor);
            var issued = stored.Issue(NextNumber(stored.Country, stored.Date.Year), evaluation);
            // Inserted, never replaced: a second set of files for one invoice fails the insert and rolls the issue back.
            Store(issued, made(issued));
            return issued;
        }));

    /// <summary>The files of an invoice just issued, and its e-invoice's outbox entry, inside the issuing transaction.</summary>
    private void Store(Invoice issued, InvoiceFiles made)
    {
        var stored = made with { InvoiceId = issued.Id };
        files.Insert(StoredFiles.From(stored));
        if (LiteDbOutboxStore.Generated(issued, stored, clock.GetUtcNow().UtcDateTime) is { } entry) outbox.Insert(entry);
    }

    public Task<Invoice?> FindByNumberAsync(string number, CancellationToken cancellationToken = default) =>
        Task.FromResult(invoices.FindOne(i => i.Number == number) is { } found ? Full(found) : null);

    public Task<InvoiceFiles?> FilesAsync(int invoiceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(files.FindById(invoiceId)?.ToFiles());

    public Task<UpdateOutcome<Invoice>> RecordPaymentAsync(int id, InvoicePayment payment, AuditActor actor, CancellationToken cancellationToken = default) =>
        // Checked again inside the transaction: two payments recorded at once can never pay more than is due.
        Task.FromResult(writes.Update(id, actor, stored => stored.CanPay(payment.Amount) ? stored.Pay(payment) : null));

    public Task<IReadOnlyList<Invoice>> UnpaidAsync(int productionUnitId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Invoice> found = Full(invoices.Find(StoredFilter.Equal("ProductionUnitId", productionUnitId))
            .Where(d => Invoice.AwaitsPaymentWith(d.Status, d.CreditNoteForId is not null)).ToList());
        return Task.FromResult(found);
    }

    public Task<UpdateOutcome<Invoice>> WriteOffAsync(int id, InvoiceWriteOff writeOff, AuditActor actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored => stored.CanBeWrittenOff ? stored.WrittenOff(writeOff) : null));

    /// <summary>
    /// The unit's ledger entries of an invoice's change, written inside the change's transaction: a payment adds its share (and repays the
    /// guarantee first), a credit note takes back what payments added, a write-off has the guarantee fund bear the unit's advance.
    /// </summary>
    private void WriteLedger(Smart.Web.Budget.LiteDbLedgerStore ledger, Invoice? before, Invoice after, AuditActor actor)
    {
        if (before is null) return;
        var now = clock.GetUtcNow().UtcDateTime;
        if (after.Payments.Count > before.Payments.Count)
            ledger.WriteWithin(Smart.Web.Budget.LedgerRules.Payment(before, after, ledger.TotalsOf(after.ProductionUnitId), actor, now));
        else if (after.Credits.Count > before.Credits.Count && invoices.FindById(after.Credits[^1].CreditNoteId) is { } partial)
            ledger.WriteWithin(Smart.Web.Budget.LedgerRules.PartialCreditNote(before, after, Full(partial), actor, now));
        else if (after.CreditedById is { } noteId && before.CreditedById is null && invoices.FindById(noteId) is { } note)
            ledger.WriteWithin(Smart.Web.Budget.LedgerRules.CreditNote(before, Full(note), actor, now));
        else if (after.WriteOff is { } writeOff && before.WriteOff is null)
            ledger.WriteWithin(Smart.Web.Budget.LedgerRules.WriteOff(after, writeOff.Date, writeOff.Reason, ledger.TotalsOf(after.ProductionUnitId), actor, now));
    }

    // The credit note is stored, numbered and its original cancelled in one transaction (inside the original's update), with an audit entry each.
    public Task<UpdateOutcome<Invoice>> CreditAsync(int id, InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId, AuditActor actor, CancellationToken cancellationToken = default) =>
        CreditAsync(id, creditEvaluation, date, memberId, actor, null, cancellationToken);

    public Task<UpdateOutcome<Invoice>> CreditAsync(int id, InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId, AuditActor actor,
        Func<Invoice, Invoice, InvoiceFiles>? made, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
        {
            // After a partial credit note, what is left is credited line by line (CreditLinesAsync), never the whole again.
            if (!stored.CanBeCredited || stored.Credits.Count > 0) return null;
            var created = InsertCreditNote(stored.CreditNote(date, NextNumber($"{stored.Country}-CN", date.Year), creditEvaluation), stored, made, actor);
            if (memberId is { } member) AddIncome(member, stored, -MemberIncome.Of(stored.Evaluation), actor);
            return stored.CancelledBy(created.Id);
        }));

    public Task<UpdateOutcome<Invoice>> CreditLinesAsync(int id, IReadOnlyList<decimal> quantities, InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId,
        AuditActor actor, Func<Invoice, Invoice, InvoiceFiles>? made, CancellationToken cancellationToken = default) =>
        Task.FromResult(writes.Update(id, actor, stored =>
        {
            // Checked again inside the transaction: two partial credit notes made at once never credit more than the invoice holds.
            if (!stored.CanCredit(quantities)) return null;
            var created = InsertCreditNote(stored.PartialCreditNote(date, NextNumber($"{stored.Country}-CN", date.Year), quantities, creditEvaluation), stored, made, actor);
            if (memberId is { } member) AddIncome(member, stored, MemberIncome.Of(creditEvaluation), actor);
            return stored.CreditedBy(created, quantities, -Smart.Web.Budget.LedgerRules.UnitShare(creditEvaluation));
        }));

    /// <summary>A credit note (whole or partial) of <paramref name="original"/>, with its evaluation, files and create entry, inside the original's update.</summary>
    private Invoice InsertCreditNote(Invoice note, Invoice original, Func<Invoice, Invoice, InvoiceFiles>? made, AuditActor actor)
    {
        var document = StoredInvoice.From(note);
        invoices.Insert(document);
        evaluations.Write(document.Id, null, note.Evaluation);
        var created = Full(document);
        if (made is not null) Store(created, made(created, original));
        audit.Write(new AuditEntry(0, clock.GetUtcNow().UtcDateTime, actor.Name, AuditedEntity.Invoice, created.Id.ToString(CultureInfo.InvariantCulture),
            created.Country, AuditAction.Create, AuditChanges.Between(null, created)));
        return created;
    }

    public Task<UpdateOutcome<Invoice>> RefundAsync(int id, InvoiceRefund refund, AuditActor actor, CancellationToken cancellationToken = default) =>
        // Checked inside the transaction: two refunds recorded at once never give back more than was overpaid.
        Task.FromResult(writes.Update(id, actor, stored => stored.CanRefund(refund.Amount) ? stored.Refund(refund) : null));

    /// <summary>
    /// Bulk-loads generated invoices, evaluated and numbered, into a fresh store (no audit entry each): see tools/Smart.Volume. Each number
    /// sequence continues after the highest number loaded, so the next issue in the app takes the following one. Returns the ids given,
    /// in the order of <paramref name="generated"/>.
    /// </summary>
    public IReadOnlyList<int> ImportMany(IReadOnlyCollection<Invoice> generated)
    {
        var documents = writes.InsertBulk(generated);
        evaluations.InsertMany(documents.Select(d => (d.Id, d.Carried)));
        var ids = documents.Select(d => d.Id).ToList();
        foreach (var numbered in generated.Where(i => i.Number is not null).GroupBy(i => i.Number![..i.Number!.LastIndexOf('-')]))
        {
            var last = numbered.Max(i => int.Parse(i.Number![(i.Number!.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture));
            var counter = counters.FindById(numbered.Key) ?? new NumberCounter { Id = numbered.Key };
            if (last > counter.Last) counters.Upsert(new NumberCounter { Id = numbered.Key, Last = last });
        }
        return ids;
    }

    /// <summary>
    /// Adds generated invoices' income to their members' figures of the year (see <see cref="ImportMany"/>); not audited. A batch of
    /// members per transaction: one commit each would bind the load to the disk's synchronous writes.
    /// </summary>
    public void ImportIncome(IEnumerable<(int MemberId, int Year, MemberIncome Income)> amounts)
    {
        foreach (var batch in amounts.Chunk(500))
            database.InTransaction(new Lock(), () =>
            {
                foreach (var (memberId, year, income) in batch)
                {
                    var row = authorRightsYears.FindById(AuthorRightsYear.Key(memberId, year)) ?? new AuthorRightsYear { Id = AuthorRightsYear.Key(memberId, year), MemberId = memberId, Year = year };
                    row.Amount += income.AuthorRights;
                    row.ProfessionalIncome += income.ProfessionalIncome;
                    authorRightsYears.Upsert(row);
                }
                return batch.Length;
            });
    }

    public Task<MemberIncome> IncomeIssuedAsync(int memberId, int year, CancellationToken cancellationToken = default) =>
        Task.FromResult(authorRightsYears.FindById(AuthorRightsYear.Key(memberId, year))?.Income ?? MemberIncome.None);

    public Task<IReadOnlyDictionary<(int MemberId, int Year), MemberIncome>> IncomeIssuedAsync(IReadOnlyCollection<(int MemberId, int Year)> keys,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<(int, int), MemberIncome> found = keys.Count == 0
            ? new Dictionary<(int, int), MemberIncome>()
            : authorRightsYears.Find(StoredFilter.In("_id", keys.Distinct().Select(k => new BsonValue(AuthorRightsYear.Key(k.MemberId, k.Year)))))
                .ToDictionary(r => (r.MemberId, r.Year), r => r.Income);
        return Task.FromResult(found);
    }

    // LiteDB answers this from the status index and sorts the drafts after the cursor by id for each batch: cheap while drafts are a small
    // share of the invoices (most are issued within days; ~3 % in the generated Belgian year), quadratic in the drafts if they ever are not.
    public Task<IReadOnlyList<Invoice>> DraftsAfterAsync(string? country, int afterId, int take, CancellationToken cancellationToken = default)
    {
        var query = invoices.Query().Where(StoredFilter.Above("_id", afterId)).Where("$.Status = @0", nameof(InvoiceStatus.Draft));
        if (country is not null) query = query.Where("UPPER($.Country) = @0", CountryCode.Normalise(country));
        IReadOnlyList<Invoice> rows = WithoutTrace(query.OrderBy("_id").Limit(take).ToList());
        return Task.FromResult(rows);
    }

    // Walks the primary key with the country and period filtered on it (written so no other index is chosen): id order, a batch per read, no sort.
    public Task<IReadOnlyList<Invoice>> DatedAfterAsync(string country, DateOnly from, DateOnly to, int afterId, int take, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Invoice> rows = Full(invoices.Query().Where(StoredFilter.Above("_id", afterId))
            .Where("UPPER($.Country) = @0 AND ($.Date >= @1 AND $.Date <= @2) = true",
                CountryCode.Normalise(country), from.ToStored(), to.ToStored())
            .OrderBy("_id").Limit(take).ToList());
        return Task.FromResult(rows);
    }

    public Task<IReadOnlyList<bool>> ReplaceDraftEvaluationsAsync(IReadOnlyList<EvaluationReplacement<InvoiceEvaluation>> replacements, AuditActor actor,
        RunAdvance? advance = null, CancellationToken cancellationToken = default)
    {
        var changes = replacements.ToDictionary(r => r.Id, r => r.Changes);
        IReadOnlyList<bool> written = writes.UpdateMany(
            replacements.Select(r => (r.Id, (Func<Invoice, Invoice?>)(stored =>
                stored.IsDraftAt(r.ExpectedVersion) ? stored with { Evaluation = r.Evaluation } : null))).ToList(),
            actor, (_, updated) => changes[updated.Id], LiteDbReevaluationStore.Advancing(database, advance),
            // Without their evaluations: a draft's check and its ledger rule (none for a draft) read the invoice's own fields; the audit entry
            // describes the evaluation the run read.
            ids => invoices.Find(StoredFilter.Ids(ids)).ToDictionary(d => d.Id, d => d.ToInvoice(null)));
        return Task.FromResult(written);
    }

    /// <summary>Adds to the member's income of the invoice's calendar year, audited on the member; called inside a write transaction.</summary>
    private void AddIncome(int memberId, Invoice invoice, MemberIncome income, AuditActor actor)
    {
        if (income == MemberIncome.None) return;
        var year = invoice.Date.Year;
        var row = authorRightsYears.FindById(AuthorRightsYear.Key(memberId, year)) ?? new AuthorRightsYear { Id = AuthorRightsYear.Key(memberId, year), MemberId = memberId, Year = year };
        var before = row.Income;
        (row.Amount, row.ProfessionalIncome) = (row.Amount + income.AuthorRights, row.ProfessionalIncome + income.ProfessionalIncome);
        authorRightsYears.Upsert(row);
        var changes = new List<AuditChange>();
        var yearText = year.ToString(CultureInfo.InvariantCulture);
        if (income.AuthorRights != 0m)
            changes.Add(new AuditChange($"AuthorRightsIssued{yearText}", before.AuthorRights.ToString(CultureInfo.InvariantCulture), row.Amount.ToString(CultureInfo.InvariantCulture)));
        if (income.ProfessionalIncome != 0m)
            changes.Add(new AuditChange($"ProfessionalIncomeIssued{yearText}", before.ProfessionalIncome.ToString(CultureInfo.InvariantCulture),
                row.ProfessionalIncome.ToString(CultureInfo.InvariantCulture)));
        audit.Write(new AuditEntry(0, clock.GetUtcNow().UtcDateTime, actor.Name, AuditedEntity.Member, memberId.ToString(CultureInfo.InvariantCulture), invoice.Country,
            AuditAction.Update, changes));
    }

    private string NextNumber(string country, int year)
    {
        var key = $"{country}-{year.ToString(CultureInfo.InvariantCulture)}";
        var counter = counters.FindById(key) ?? new NumberCounter { Id = key };
        counter.Last++;
        counters.Upsert(counter);
        return $"{key}-{counter.Last.ToString("000000", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Names a query's filters (and today, which decides overdue) for the rows' cache of recent queries.</summary>
    private string KeyOf(InvoiceQuery query) => string.Create(CultureInfo.InvariantCulture,
        $"{query.Scope}|{CountryCode.NormaliseOrNull(query.Country)}|{query.Status}|{query.From}|{query.To}|{query.ProductionUnitId}|{query.ClientId}|{query.Total}|{DateOnly.FromDateTime(clock.GetLocalNow().DateTime)}");

    private Func<InvoiceRows.Row, bool> Matches(InvoiceQuery query)
    {
        var scope = query.Scope.Countries;
        var country = string.IsNullOrWhiteSpace(query.Country) ? null : CountryCode.Normalise(query.Country);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var (status, from, to, unit, client, total) = (query.Status, query.From, query.To, query.ProductionUnitId, query.ClientId, query.Total);
        return r => (scope is null || scope.Contains(r.Country))
            && (country is null || string.Equals(r.Country, country, StringComparison.OrdinalIgnoreCase))
            && (status is null || r.StatusOn(today) == status)
            && (from is null || r.Date >= from) && (to is null || r.Date <= to)
            && (unit is null || r.ProductionUnitId == unit) && (client is null || r.ClientId == client)
            && (total is null || r.Total == total);
    }

    /// <summary>A member's income from issued invoices (less credit notes) in one calendar year: a new year starts from nothing.</summary>
    // The move to PostgreSQL (Storage/MoveUp) reads the whole store through these, in id order.

    /// <summary>Every invoice and credit note with its evaluation, in id order, a batch of evaluations per read.</summary>
    internal IEnumerable<Invoice> All() => invoices.PagesById(i => i.Id).SelectMany(Full);

    /// <summary>Every issued document's files.</summary>
    internal IEnumerable<InvoiceFiles> Files() => files.Find(Query.All("_id")).Select(f => f.ToFiles());

    /// <summary>The last number given per sequence (BE, BE-CN) and year.</summary>
    internal IEnumerable<(string Sequence, int Year, int Last)> NumberCounters() => counters.FindAll().Select(c =>
        (c.Id[..c.Id.LastIndexOf('-')], int.Parse(c.Id[(c.Id.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture), c.Last));

    /// <summary>The members' income issued per calendar year.</summary>
    internal IEnumerable<(int MemberId, int Year, MemberIncome Income)> IncomeYears() => authorRightsYears.FindAll().Select(y => (y.MemberId, y.Year, y.Income));

    private sealed class AuthorRightsYear
    {
        /// <summary>Member id and year: 12-2026.</summary>
        public string Id { get; set; } = "";
        public int MemberId { get; set; }
        public int Year { get; set; }
        /// <summary>Author rights, without the part above a share cap.</summary>
        public decimal Amount { get; set; }
        /// <summary>The part of author rights above a share cap (Belgium's 70/30), professional income; absent (0) in rows written before it.</summary>
        public decimal ProfessionalIncome { get; set; }

        [BsonIgnore] public MemberIncome Income => new(Amount, ProfessionalIncome);

        public static string Key(int memberId, int year) => string.Create(CultureInfo.InvariantCulture, $"{memberId}-{year}");
    }

    private sealed class PaymentDocument
    {
        public DateTime Date { get; set; }
        public decimal Amount { get; set; }
        public string Reference { get; set; } = "";
    }

    private sealed class CreditDocument
    {
        public int CreditNoteId { get; set; }
        public string Number { get; set; } = "";
        public DateTime Date { get; set; }
        public List<decimal> Quantities { get; set; } = [];
        public decimal Gross { get; set; }
        public decimal UnitShare { get; set; }
    }

    private sealed class StoredFiles
    {
        [BsonId(autoId: false)] public int Id { get; set; }
        public string? Format { get; set; }
        public string? XmlFileName { get; set; }
        public string? Xml { get; set; }
        public string PdfFileName { get; set; } = "";
        public byte[] Pdf { get; set; } = [];

        public static StoredFiles From(InvoiceFiles f) => new() { Id = f.InvoiceId, Format = f.Format, XmlFileName = f.XmlFileName, Xml = f.Xml, PdfFileName = f.PdfFileName, Pdf = f.Pdf };

        public InvoiceFiles ToFiles() => new(Id, Format, XmlFileName, Xml, PdfFileName, Pdf);
    }

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
        // Added with the legal review of 2026-12: absent (null) in lines stored before it.
        public string? WorkKind { get; set; }
        public string? PerformedIn { get; set; }
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
        /// <summary>
        /// The evaluation this document was made from, not stored here (<see cref="StoredEvaluations{T}"/>): an invoice just written is
        /// given back without reading its evaluation again. <see cref="Carries"/> is false on a document read from the file.
        /// </summary>
        [BsonIgnore] public InvoiceEvaluation? Carried { get; private set; }
        [BsonIgnore] public bool Carries { get; private set; }
        public List<PaymentDocument> Payments { get; set; } = [];
        public List<CreditDocument>? Credits { get; set; }
        public List<PaymentDocument>? Refunds { get; set; }
        public int? CreditNoteForId { get; set; }
        public int? CreditedById { get; set; }
        public int? ReplacesId { get; set; }
        public DateTime? WriteOffDate { get; set; }
        public string? WriteOffReason { get; set; }
        public string? WriteOffBy { get; set; }
        public int Version { get; set; }

        public static StoredInvoice From(Invoice i) => new()
        {
            Id = i.Id, Country = i.Country, ProductionUnitId = i.ProductionUnitId, ClientId = i.ClientId, Issuer = i.Issuer,
            Date = i.Date.ToStored(), DueDate = i.DueDate?.ToStored(), ServiceLevel = i.ServiceLevel,
            Lines = i.Lines.Select(l => new LineDocument
            {
                Description = l.Description, Category = l.Category, Quantity = l.Quantity, UnitPrice = l.UnitPrice, WorkKind = l.WorkKind, PerformedIn = l.PerformedIn,
            }).ToList(),
            Status = i.Status, Number = i.Number, Total = i.Evaluation?.Totals.Gross ?? 0m,
            Carried = i.Evaluation, Carries = true, Version = i.Version,
            Payments = i.Payments.Select(p => new PaymentDocument { Date = p.Date.ToStored(), Amount = p.Amount, Reference = p.Reference }).ToList(),
            CreditNoteForId = i.CreditNoteForId, CreditedById = i.CreditedById, ReplacesId = i.ReplacesId,
            Credits = i.Credits.Count == 0 ? null : i.Credits.Select(c => new CreditDocument
            {
                CreditNoteId = c.CreditNoteId, Number = c.Number, Date = c.Date.ToStored(), Quantities = [.. c.Quantities], Gross = c.Gross, UnitShare = c.UnitShare,
            }).ToList(),
            Refunds = i.Refunds.Count == 0 ? null : i.Refunds.Select(r => new PaymentDocument { Date = r.Date.ToStored(), Amount = r.Amount, Reference = r.Reference }).ToList(),
            WriteOffDate = i.WriteOff?.Date.ToStored(), WriteOffReason = i.WriteOff?.Reason, WriteOffBy = i.WriteOff?.By,
        };

        public Invoice ToInvoice(InvoiceEvaluation? evaluation) => new()
        {
            Id = Id, Country = Country, ProductionUnitId = ProductionUnitId, ClientId = ClientId, Issuer = Issuer,
            Date = Date.ToDate(), DueDate = DueDate?.ToDate(), ServiceLevel = ServiceLevel,
            Lines = Lines.Select(l => new InvoiceLineItem(l.Description, l.Category, l.Quantity, l.UnitPrice) { WorkKind = l.WorkKind, PerformedIn = l.PerformedIn }).ToList(),
            Status = Status, Number = Number,
            Evaluation = evaluation, Version = Version,
            Payments = (Payments ?? []).Select(p => new InvoicePayment(p.Date.ToDate(), p.Amount, p.Reference)).ToList(),
            CreditNoteForId = CreditNoteForId, CreditedById = CreditedById, ReplacesId = ReplacesId,
            Credits = (Credits ?? []).Select(c => new InvoiceCredit(c.CreditNoteId, c.Number, c.Date.ToDate(), c.Quantities, c.Gross, c.UnitShare)).ToList(),
            Refunds = (Refunds ?? []).Select(r => new InvoiceRefund(r.Date.ToDate(), r.Amount, r.Reference)).ToList(),
            WriteOff = WriteOffDate is { } writtenOff ? new InvoiceWriteOff(writtenOff.ToDate(), WriteOffReason ?? "", WriteOffBy ?? "") : null,
        };
    }
}
