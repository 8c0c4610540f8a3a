using Smart.Rules.Evaluation;
using Smart.Web.Budget;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Reminders;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

/// <summary>The document stores a handler sees, opened on one store.</summary>
public sealed record DocumentStores(IProductionUnitStore Units, IInvoiceStore Invoices, IContractStore Contracts, IExpenseClaimStore Claims, ILedgerStore Ledger, IReminderStore Reminders,
    IReevaluationStore Reevaluations, ISimulationStore Simulations, IOutboxStore Outbox);

/// <summary>
/// What the document stores guarantee, run unchanged on both stores: the writes that move a unit's budget write its ledger in their own
/// transaction, decisions are taken on the stored record, and the jobs' records are written once.
/// </summary>
public abstract class DocumentStoreContract
{
    protected abstract DocumentStores Stores { get; }

    private static readonly AuditActor Staff = TemporaryStore.Adviser;
    private static readonly DateTime Now = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    private static readonly InvoiceEvaluation Evaluation = new()
    {
        Country = "BE", Currency = "EUR", Date = new DateOnly(2026, 3, 15), Issuer = "smartcoop", Lines = [], Totals = new Totals(100m, 21m, 121m),
        VatBreakdown = [], Contribution = new ContributionResult(0.065m, 100m, 6.5m), Mentions = ["Autoliquidation"], Rulesets = [], Unconfirmed = [],
        Trace = [new TraceEntry("be-vat", "vat", 0, "21 % on 100", new Dictionary<string, object?> { ["rate"] = 0.21m }, null)],
    };

    private async Task OpenUnitAsync(int unitId, decimal budget) =>
        await Stores.Ledger.AppendAsync([LedgerRules.OpeningBalance(unitId, "BE", budget, new DateOnly(2026, 1, 1), Staff, Now)]);

    [Fact]
    public async Task A_ledger_entry_is_written_once_by_its_key()
    {
        var opening = LedgerRules.OpeningBalance(3, "be", 250m, new DateOnly(2026, 1, 1), Staff, Now);

        Assert.Equal(1, await Stores.Ledger.AppendAsync([opening]));
        Assert.Equal(0, await Stores.Ledger.AppendAsync([opening]));

        var entry = Assert.Single(await Stores.Ledger.EntriesAsync(3));
        Assert.Equal((LedgerEntryKind.OpeningBalance, 250m, "BE", new DateOnly(2026, 1, 1)), (entry.Kind, entry.Amount, entry.Country, entry.Date));
        Assert.Equal(new LedgerTotals(250m, 0m, 0m, 1), await Stores.Ledger.TotalsAsync(3));
    }

    [Fact]
    public async Task A_new_units_opening_balance_opens_its_ledger_and_its_available_budget_follows_the_ledger()
    {
        var unit = await Stores.Units.AddAsync(new ProductionUnit
        {
            Country = "BE", Name = "Atelier Lumière", Sector = "arts", OpeningBalance = 500m, Created = new DateOnly(2026, 1, 5),
        }, Staff);
        var draft = await Stores.Contracts.AddAsync(new Contract
        {
            Country = "BE", ProductionUnitId = unit.Id, MemberId = 1, StartDate = new DateOnly(2026, 3, 2), Days = 1, JobCategory = "artist", Budget = 200m,
        }, Staff);
        await Stores.Contracts.UpdateAsync(draft with { Status = ContractStatus.Confirmed }, draft.Version, Staff);

        var opening = (await Stores.Ledger.EntriesAsync(unit.Id))[0];
        Assert.Equal((LedgerEntryKind.OpeningBalance, 500m, new DateOnly(2026, 1, 5)), (opening.Kind, opening.Amount, opening.Date));
        Assert.Equal(300m, (await Stores.Units.GetAsync(unit.Id))!.AvailableBudget);
    }

    [Fact]
    public async Task A_confirmed_contract_holds_its_budget_and_its_paid_salary_spends_it()
    {
        await OpenUnitAsync(5, 1000m);
        var draft = await Stores.Contracts.AddAsync(new Contract
        {
            Country = "be", ProductionUnitId = 5, MemberId = 1, StartDate = new DateOnly(2026, 3, 2), Days = 2, JobCategory = "artist", Budget = 400m,
        }, Staff);
        Assert.Equal(400m, await Stores.Contracts.HeldBudgetAsync(5, null));
        Assert.Equal(0m, await Stores.Contracts.HeldBudgetAsync(5, draft.Id));

        var confirmed = await Stores.Contracts.UpdateAsync(draft with { Status = ContractStatus.Confirmed }, draft.Version, Staff);
        var stale = await Stores.Contracts.UpdateAsync(draft with { Budget = 10m }, draft.Version, Staff);
        var paid = await Stores.Contracts.PaySalaryAsync(draft.Id, new DateOnly(2026, 3, 10), Staff);
        var again = await Stores.Contracts.PaySalaryAsync(draft.Id, new DateOnly(2026, 3, 11), Staff);

        Assert.True(confirmed.Updated);
        Assert.Equal(("BE", 2), (confirmed.Current!.Country, confirmed.Current.Version));
        Assert.Equal(UpdateStatus.ConcurrencyConflict, stale.Status);
        Assert.Equal(new DateOnly(2026, 3, 10), paid.Current!.SalaryPaidOn);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, again.Status);
        Assert.Equal([LedgerEntryKind.OpeningBalance, LedgerEntryKind.ContractReservation, LedgerEntryKind.SalaryPaid],
            (await Stores.Ledger.EntriesAsync(5)).Select(e => e.Kind));
        Assert.Equal(new LedgerTotals(600m, 0m, 0m, 3), await Stores.Ledger.TotalsAsync(5));
        var found = await Stores.Contracts.SearchAsync(new ContractQuery(CountryScope.Only("BE")) { ProductionUnitId = 5, Status = ContractStatus.Confirmed });
        Assert.Equal(draft.Id, Assert.Single(found.Rows).Id);
        Assert.Empty((await Stores.Contracts.SearchAsync(new ContractQuery(CountryScope.Only("FR")))).Rows);
        Assert.Single(await Stores.Contracts.ExportAsync(new ContractQuery(CountryScope.All) { StartFrom = new DateOnly(2026, 3, 1), StartTo = new DateOnly(2026, 3, 2) }).ToListAsync());
        Assert.Empty(await Stores.Contracts.ExportAsync(new ContractQuery(CountryScope.All) { StartFrom = new DateOnly(2026, 3, 3) }).ToListAsync());
    }

    [Fact]
    public async Task An_approval_beyond_the_units_budget_writes_nothing_and_one_within_it_spends_the_charge()
    {
        await OpenUnitAsync(6, 100m);
        var big = await Stores.Claims.AddAsync(Claim(6, charged: 150m), new ExpenseReceipt(0, "ticket.pdf", "application/pdf", [1, 2, 3]), Staff);
        var small = await Stores.Claims.AddAsync(Claim(6, charged: 60m), null, Staff);

        await Assert.ThrowsAsync<BudgetExceededException>(() => Stores.Claims.DecideAsync(big.Id, big.Version, ExpenseClaimStatus.Approved, null, Staff));
        var approved = await Stores.Claims.DecideAsync(small.Id, small.Version, ExpenseClaimStatus.Approved, null, Staff);

        Assert.Equal(ExpenseClaimStatus.Submitted, (await Stores.Claims.GetAsync(big.Id))!.Status);
        Assert.Equal(ExpenseClaimStatus.Approved, approved.Current!.Status);
        Assert.Equal(60m, approved.Current.ChargedToUnit);
        Assert.Equal(60m, await Stores.Claims.ApprovedChargesAsync(6, null));
        Assert.Equal(0m, await Stores.Claims.ApprovedChargesAsync(6, small.Id));
        Assert.Equal(40m, (await Stores.Ledger.TotalsAsync(6)).Balance);
        Assert.Equal([1, 2, 3], (await Stores.Claims.ReceiptAsync(big.Id))!.Content);
        Assert.Null(await Stores.Claims.ReceiptAsync(small.Id));
        var march = new ExpenseClaimQuery(CountryScope.Only("BE")) { Category = "travel", From = new DateOnly(2026, 3, 1), To = new DateOnly(2026, 3, 31) };
        Assert.Equal([big.Id, small.Id], (await Stores.Claims.SearchAsync(march with { Sort = ExpenseClaimSort.Amount, Descending = true })).Rows.Select(c => c.Id));
        Assert.Equal([small.Id], (await Stores.Claims.ExportAsync(march with { Status = ExpenseClaimStatus.Approved }).ToListAsync()).Select(c => c.Id));
    }

    private static ExpenseClaim Claim(int unitId, decimal charged) => new ExpenseClaim
    {
        Country = "BE", ProductionUnitId = unitId, MemberId = 1, Date = new DateOnly(2026, 3, 2), Category = "travel", Amount = charged,
    }.WithEvaluation(new ExpenseEvaluation
    {
        Country = "BE", Currency = "EUR", Date = new DateOnly(2026, 3, 2), Category = "travel", Kind = "receipt", Amount = charged, Vat = 0m, DeductibleShare = 1m,
        RecoverableVat = 0m, Reimbursed = charged, Charged = charged, Mentions = [], Rulesets = [], Trace = [], Unconfirmed = [],
    });

    [Fact]
    public async Task A_payment_adds_the_units_share_a_credit_note_takes_it_back_and_lists_find_the_invoice()
    {
        var draft = await Stores.Invoices.AddDraftAsync(new Invoice
        {
            Country = "BE", ProductionUnitId = 7, ClientId = 2, Issuer = "smartcoop", Date = new DateOnly(2026, 3, 15), DueDate = new DateOnly(2026, 4, 14),
            Lines = [new InvoiceLineItem("Design", "service", 1m, 100m)], Evaluation = Evaluation,
        }, Staff);
        var issued = (await Stores.Invoices.IssueAsync(draft.Id, draft.Version, Evaluation, null, Staff,
            i => new InvoiceFiles(0, "peppol-bis3", $"{i.Number}.xml", "<Invoice/>", $"{i.Number}.pdf", [9]))).Current!;

        var overdue = await Stores.Invoices.SearchAsync(new InvoiceQuery(CountryScope.Only("BE")) { Status = InvoiceStatus.Overdue, ClientId = 2 });
        var pastDue = await Stores.Invoices.PastDueAsync(CountryScope.All, new DateOnly(2026, 5, 1)).ToListAsync();
        var notYet = await Stores.Invoices.PastDueAsync(CountryScope.All, new DateOnly(2026, 4, 1)).ToListAsync();
        var tooMuch = await Stores.Invoices.RecordPaymentAsync(issued.Id, new InvoicePayment(new DateOnly(2026, 4, 2), 200m, "+++1+++"), Staff);
        var paid = await Stores.Invoices.RecordPaymentAsync(issued.Id, new InvoicePayment(new DateOnly(2026, 4, 2), 121m, "+++1+++"), Staff);
        var credited = await Stores.Invoices.CreditAsync(issued.Id, Evaluation, new DateOnly(2026, 4, 3), null, Staff);

        Assert.Equal(issued.Id, Assert.Single(overdue.Rows).Id);
        Assert.Equal(121m, overdue.Rows[0].BalanceDue);
        Assert.Equal(issued.Id, Assert.Single(pastDue).Id);
        Assert.Empty(notYet);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, tooMuch.Status);
        Assert.Equal(InvoiceStatus.Paid, paid.Current!.Status);
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, credited.Current!.Status);
        var note = (await Stores.Invoices.FindByNumberAsync("BE-CN-2026-000001"))!;
        Assert.Equal(issued.Id, note.CreditNoteForId);
        Assert.Equal(credited.Current.CreditedById, note.Id);
        Assert.Equal([(LedgerEntryKind.InvoicePayment, 93.5m), (LedgerEntryKind.CreditNote, -93.5m)],
            (await Stores.Ledger.EntriesAsync(7)).Select(e => (e.Kind, e.Amount)));
        Assert.Equal("<Invoice/>", (await Stores.Invoices.FilesAsync(issued.Id))!.Xml);
        Assert.Equal(issued.Number, (await Stores.Outbox.GetAsync(issued.Id))!.Number);
        // The whole evaluation, trace included, comes with one invoice.
        Assert.Equal("vat", Assert.Single((await Stores.Invoices.GetAsync(issued.Id))!.Evaluation!.Trace).Rule);
    }

    [Fact]
    public async Task Concurrent_changes_of_one_outbox_entry_mark_it_once()
    {
        var draft = await Stores.Invoices.AddDraftAsync(new Invoice
        {
            Country = "BE", ProductionUnitId = 8, ClientId = 2, Issuer = "smartcoop", Date = new DateOnly(2026, 3, 15), Evaluation = Evaluation,
        }, Staff);
        await Stores.Invoices.IssueAsync(draft.Id, draft.Version, Evaluation, null, Staff, i => new InvoiceFiles(0, "peppol-bis3", "a.xml", "<Invoice/>", "a.pdf", [1]));

        var marked = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Stores.Outbox.MarkHandedOverAsync(draft.Id, 1, Now))));
        var rejected = await Stores.Outbox.AnswerAsync(draft.Id, 1, delivered: false, "unknown receiver", Now);
        var retried = await Stores.Outbox.RetryAsync(draft.Id);

        Assert.Equal(1, marked.Count(m => m));
        Assert.True(rejected && retried);
        var entry = (await Stores.Outbox.GetAsync(draft.Id))!;
        Assert.Equal((OutboxStatus.Generated, 2, "a-r2.xml"), (entry.Status, entry.Attempt, entry.FileName));
        Assert.Equal(draft.Id, Assert.Single(await Stores.Outbox.WithStatusAsync(OutboxStatus.Generated)).InvoiceId);
        Assert.Equal(1, (await Stores.Outbox.SearchAsync(new OutboxQuery(CountryScope.Only("BE"), OutboxStatus.Generated))).Total);
    }

    [Fact]
    public async Task Two_runs_at_once_record_each_reminder_step_once()
    {
        var reminder = new PaymentReminder
        {
            InvoiceId = 42, InvoiceNumber = "BE-2026-000042", Country = "BE", Currency = "EUR", Step = 1, DueDate = new DateOnly(2026, 3, 1),
            SentOn = new DateOnly(2026, 3, 16), DaysLate = 15, Outstanding = 121m, InterestRate = 0.12m, Interest = 0.6m, FlatCompensation = 40m,
        };

        var recorded = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Stores.Reminders.TryRecordAsync(reminder))));
        await Stores.Reminders.BeginRunAsync(new DateOnly(2026, 3, 16));
        await Stores.Reminders.BeginRunAsync(new DateOnly(2026, 3, 17));
        await Stores.Reminders.FinishRunAsync(new DateOnly(2026, 3, 16));

        Assert.Equal(1, recorded.Count(r => r));
        Assert.Equal(reminder, Assert.Single(await Stores.Reminders.ForInvoiceAsync(42)));
        Assert.Equal(1, (await Stores.Reminders.SearchAsync(CountryScope.Only("BE"), 0, 10)).Total);
        Assert.Equal(0, (await Stores.Reminders.SearchAsync(CountryScope.Only("FR"), 0, 10)).Total);
        Assert.Equal([new ReminderRun(new DateOnly(2026, 3, 17), ReminderRunStatus.Running)], await Stores.Reminders.UnfinishedRunsAsync());
    }

    [Fact]
    public async Task A_run_is_held_by_one_execution_and_a_batch_of_a_run_moved_on_meanwhile_writes_nothing()
    {
        var draft = await Stores.Invoices.AddDraftAsync(new Invoice
        {
            Country = "BE", ProductionUnitId = 9, ClientId = 2, Issuer = "smartcoop", Date = new DateOnly(2026, 3, 15), Evaluation = Evaluation,
        }, Staff);
        var run = await Stores.Reevaluations.AddAsync(new ReevaluationRun { Reason = "rates", StartedBy = "staff@smart.coop", Country = "BE", StartedAtUtc = Now, Total = 1 });
        await using (var claim = await Stores.Reevaluations.TryClaimAsync(run.Id))
        {
            Assert.NotNull(claim);
            await using var second = await Stores.Reevaluations.TryClaimAsync(run.Id);
            Assert.Null(second);
            Assert.Empty(await Stores.Reevaluations.OrphanedAsync());
        }
        Assert.Equal(run.Id, Assert.Single(await Stores.Reevaluations.OrphanedAsync()).Id);

        var newer = Evaluation with { Totals = new Totals(200m, 42m, 242m) };
        var batch = new RunAdvance(run.Id, 0, 0, written => run with { Done = 1, Changed = written.Count(w => w), InvoiceCursor = draft.Id });
        Assert.Equal([true], await Stores.Invoices.ReplaceDraftEvaluationsAsync([new(draft.Id, draft.Version, newer, [])], Staff, batch));
        // The same batch by another execution that read the run before: the draft's version would let it write, the run's cursor does not.
        await Assert.ThrowsAsync<RunMovedOnException>(() => Stores.Invoices.ReplaceDraftEvaluationsAsync(
            [new(draft.Id, draft.Version + 1, Evaluation, [])], Staff, batch));

        var stored = (await Stores.Invoices.GetAsync(draft.Id))!;
        Assert.Equal((draft.Version + 1, 242m), (stored.Version, stored.Evaluation!.Totals.Gross));
        var progress = (await Stores.Reevaluations.GetAsync(run.Id))!;
        Assert.Equal((1, 1, draft.Id), (progress.Done, progress.Changed, progress.InvoiceCursor));
        Assert.False(await Stores.Reevaluations.TryAdvanceAsync(batch));
        Assert.True(await Stores.Reevaluations.TryAdvanceAsync(new RunAdvance(run.Id, draft.Id, 0, _ => progress with { Status = ReevaluationStatus.Done })));
        Assert.Empty(await Stores.Reevaluations.OrphanedAsync());
    }

    [Fact]
    public async Task A_runs_saves_keep_a_cancellation_asked_for_meanwhile()
    {
        var run = await Stores.Reevaluations.AddAsync(new ReevaluationRun { Reason = "rates", StartedBy = "staff@smart.coop", Country = "BE", StartedAtUtc = Now, Total = 10 });
        await Stores.Reevaluations.RequestCancelAsync(run.Id, "admin@smart.coop");
        await Stores.Reevaluations.SaveAsync(run with { Done = 4, InvoiceCursor = 17 });

        var stored = (await Stores.Reevaluations.GetAsync(run.Id))!;
        Assert.Equal((4, 17, "admin@smart.coop"), (stored.Done, stored.InvoiceCursor, stored.CancelledBy));
        Assert.Equal(run.Id, Assert.Single(await Stores.Reevaluations.UnfinishedAsync()).Id);
        Assert.Equal(1, (await Stores.Reevaluations.SearchAsync(CountryScope.Only("BE"), 0, 10)).Total);
        Assert.Equal(0, (await Stores.Reevaluations.SearchAsync(CountryScope.Only("FR"), 0, 10)).Total);

        var simulation = await Stores.Simulations.AddAsync(new ImpactSimulation
        {
            VersionId = 3, Key = "be-vat", VersionNumber = 2, Country = "BE", DraftText = "{}", From = new DateOnly(2026, 1, 1), To = new DateOnly(2026, 3, 31),
            StartedBy = "staff@smart.coop", StartedAtUtc = Now, Status = SimulationStatus.Running, AsIfInForceFrom = new DateOnly(2026, 1, 1),
        });
        await Stores.Simulations.RequestCancelAsync(simulation.Id, "admin@smart.coop");
        await Stores.Simulations.SaveBatchAsync(simulation with { Done = 2, InvoiceCursor = 9 }, [Affected(simulation.Id, 5), Affected(simulation.Id, 9)]);

        var saved = (await Stores.Simulations.GetAsync(simulation.Id))!;
        Assert.Equal((2, 9, "admin@smart.coop", new DateOnly(2026, 1, 1)), (saved.Done, saved.InvoiceCursor, saved.CancelledBy, saved.AsIfInForceFrom));
        Assert.Equal([5, 9], (await Stores.Simulations.AffectedAsync(simulation.Id, 0, 10)).Rows.Select(d => d.DocumentId));
        Assert.Equal(Affected(simulation.Id, 9), await Stores.Simulations.AffectedAsync(simulation.Id, "invoice", 9));
        Assert.Equal(simulation.Id, Assert.Single(await Stores.Simulations.OfVersionAsync(3)).Id);
    }

    protected static SimulatedDocument Affected(int simulationId, int documentId) => new(simulationId, "invoice", documentId, new DateOnly(2026, 2, 1), "Draft", true,
        null, new DocumentFigures(100m, 21m, 121m, 0.065m, 6.5m), new DocumentFigures(100m, 6m, 106m, 0.065m, 6.5m));
}

[Trait("Store", "Chosen")]
public sealed class LiteDbDocumentStoreTests : DocumentStoreContract, IDisposable
{
    private readonly TemporaryStore store = new();

    public LiteDbDocumentStoreTests()
    {
        var clock = TimeProvider.System;
        var ledger = new LiteDbLedgerStore(store.Database, clock);
        Stores = new DocumentStores(new LiteDbProductionUnitStore(store.Database, store.Audit, clock, ledger), new LiteDbInvoiceStore(store.Database, store.Audit, clock, ledger), new LiteDbContractStore(store.Database, store.Audit, clock, ledger),
            new LiteDbExpenseClaimStore(store.Database, store.Audit, clock, ledger), ledger, new LiteDbReminderStore(store.Database, clock),
            new LiteDbReevaluationStore(store.Database), new LiteDbSimulationStore(store.Database), new LiteDbOutboxStore(store.Database));
    }

    protected override DocumentStores Stores { get; }

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlDocumentStoreTests : DocumentStoreContract, IDisposable
{
    private readonly TemporaryDatabase database = new();

    public PostgreSqlDocumentStoreTests()
    {
        var (source, clock) = (database.DataSource, TimeProvider.System);
        var ledger = new PostgreSqlLedgerStore(source, clock);
        Stores = new DocumentStores(new PostgreSqlProductionUnitStore(source, clock, ledger), new PostgreSqlInvoiceStore(source, clock), new PostgreSqlContractStore(source, clock),
            new PostgreSqlExpenseClaimStore(source, clock), ledger, new PostgreSqlReminderStore(source, clock), new PostgreSqlReevaluationStore(source), new PostgreSqlSimulationStore(source),
            new PostgreSqlOutboxStore(source));
    }

    protected override DocumentStores Stores { get; }

    // The server store also keys each affected document: a batch replayed after a crash between its commit and the job's next step adds nothing.
    [Fact]
    public async Task A_simulation_batch_replayed_adds_no_document_twice()
    {
        var simulation = await Stores.Simulations.AddAsync(new ImpactSimulation
        {
            VersionId = 1, Key = "be-vat", Country = "BE", DraftText = "{}", StartedBy = "staff@smart.coop", Status = SimulationStatus.Running,
        });
        await Stores.Simulations.SaveBatchAsync(simulation with { Done = 1 }, [Affected(simulation.Id, 5)]);
        await Stores.Simulations.SaveBatchAsync(simulation with { Done = 1 }, [Affected(simulation.Id, 5)]);

        Assert.Equal(1, (await Stores.Simulations.AffectedAsync(simulation.Id, 0, 10)).Total);
    }

    // Two instances of the app are two data sources (two pools) on one database: the numbering's row lock is the database's, not a process's.
    [Fact]
    public async Task Twenty_issues_split_over_two_instances_take_the_numbers_one_to_twenty()
    {
        await using var other = Npgsql.NpgsqlDataSource.Create(database.ConnectionString);
        IInvoiceStore[] instances = [Stores.Invoices, new PostgreSqlInvoiceStore(other, TimeProvider.System)];
        var drafts = new List<Invoice>();
        for (var i = 0; i < 20; i++)
            drafts.Add(await Stores.Invoices.AddDraftAsync(new Invoice { Country = "BE", Issuer = "smartcoop", Date = new DateOnly(2026, 5, 1) }, TemporaryStore.Adviser));

        var issued = await Task.WhenAll(drafts.Select((d, i) => Task.Run(() =>
            instances[i % 2].IssueAsync(d.Id, d.Version, d.Evaluation ?? Issued, TemporaryStore.Adviser))));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"BE-2026-{n:000000}"), issued.Select(o => o.Current!.Number!).Order(StringComparer.Ordinal));
    }

    private static readonly InvoiceEvaluation Issued = new()
    {
        Country = "BE", Currency = "EUR", Date = new DateOnly(2026, 5, 1), Issuer = "smartcoop", Lines = [], Totals = new Totals(10m, 0m, 10m), VatBreakdown = [],
        Contribution = new ContributionResult(0m, 0m, 0m), Mentions = [], Rulesets = [], Trace = [], Unconfirmed = [],
    };

    public void Dispose() => database.Dispose();
}
