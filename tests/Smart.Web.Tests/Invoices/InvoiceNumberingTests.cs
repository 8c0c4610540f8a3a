using Smart.Rules.Evaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;
using Smart.Web.Tests.Storage;

namespace Smart.Web.Tests.Invoices;

/// <summary>The invoice number sequence, on both stores as the app opens them.</summary>
public abstract class InvoiceNumberingContract
{
    protected abstract IInvoiceStore Invoices { get; }
    protected abstract IAuditLog Audit { get; }

    private static readonly InvoiceEvaluation Evaluation = new()
    {
        Country = "BE", Currency = "EUR", Date = new DateOnly(2026, 3, 15), Issuer = "smartcoop", Lines = [], Totals = new Totals(100m, 21m, 121m),
        VatBreakdown = [], Contribution = new ContributionResult(0.065m, 100m, 6.5m), Mentions = [], Rulesets = [], Trace = [], Unconfirmed = [],
    };

    private Task<Invoice> DraftAsync(string country, int year) => Invoices.AddDraftAsync(new Invoice
    {
        Country = country, ProductionUnitId = 1, ClientId = 1, Issuer = "smartcoop", Date = new DateOnly(year, 3, 15),
        Lines = [new InvoiceLineItem("Design", "service", 1m, 100m)], Evaluation = Evaluation,
    }, TemporaryStore.Adviser);

    [Fact]
    public async Task Twenty_concurrent_issues_take_the_numbers_one_to_twenty_without_duplicate_or_gap()
    {
        var drafts = new List<Invoice>();
        for (var i = 0; i < 20; i++) drafts.Add(await DraftAsync("BE", 2026));

        var issued = await Task.WhenAll(drafts.Select(d => Task.Run(() => Invoices.IssueAsync(d.Id, d.Version, Evaluation, TemporaryStore.Adviser))));

        Assert.All(issued, outcome => Assert.True(outcome.Updated));
        var numbers = issued.Select(o => o.Current!.Number!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(n => $"BE-2026-{n:000000}"), numbers);
        var stored = await Task.WhenAll(drafts.Select(d => Invoices.GetAsync(d.Id)));
        Assert.Equal(numbers, stored.Select(i => i!.Number!).Order(StringComparer.Ordinal));
        Assert.All(stored, i => Assert.Equal(InvoiceStatus.Issued, i!.Status));
    }

    [Fact]
    public async Task Sequences_are_per_country_and_year_and_a_refused_issue_takes_no_number()
    {
        var belgian = await DraftAsync("BE", 2026);
        var stale = await DraftAsync("BE", 2026);
        await Invoices.UpdateDraftAsync(stale with { ServiceLevel = "premium" }, stale.Version, TemporaryStore.Adviser);

        Assert.False((await Invoices.IssueAsync(stale.Id, stale.Version, Evaluation, TemporaryStore.Adviser)).Updated);
        Assert.Equal("BE-2026-000001", (await Invoices.IssueAsync(belgian.Id, belgian.Version, Evaluation, TemporaryStore.Adviser)).Current!.Number);
        // Issuing twice is refused and keeps the first number.
        var again = await Invoices.IssueAsync(belgian.Id, belgian.Version + 1, Evaluation, TemporaryStore.Adviser);
        Assert.False(again.Updated);
        Assert.Equal("BE-2026-000001", again.Current!.Number);

        var french = await DraftAsync("FR", 2026);
        var older = await DraftAsync("BE", 2025);
        Assert.Equal("FR-2026-000001", (await Invoices.IssueAsync(french.Id, french.Version, Evaluation, TemporaryStore.Adviser)).Current!.Number);
        Assert.Equal("BE-2025-000001", (await Invoices.IssueAsync(older.Id, older.Version, Evaluation, TemporaryStore.Adviser)).Current!.Number);
        var current = (await Invoices.GetAsync(stale.Id))!;
        Assert.Equal("BE-2026-000002", (await Invoices.IssueAsync(stale.Id, current.Version, Evaluation, TemporaryStore.Adviser)).Current!.Number);
    }

    [Fact]
    public async Task An_issued_invoice_cannot_be_updated_and_the_store_keeps_its_evaluation()
    {
        var draft = await DraftAsync("BE", 2026);
        var issued = (await Invoices.IssueAsync(draft.Id, draft.Version, Evaluation, TemporaryStore.Adviser)).Current!;
        var refused = await Invoices.UpdateDraftAsync(issued with { Lines = [new InvoiceLineItem("Other", "service", 1m, 1m)] }, issued.Version, TemporaryStore.Adviser);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, refused.Status);
        var stored = (await Invoices.GetAsync(draft.Id))!;
        Assert.Equal(100m, stored.Lines[0].UnitPrice);
        Assert.Equal(121m, stored.Evaluation!.Totals.Gross);
        var history = await Audit.ForEntityAsync(AuditedEntity.Invoice, draft.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(history, e => e.Changes.Any(c => c.Field == nameof(Invoice.Number) && c.After == "BE-2026-000001"));
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbInvoiceNumberingTests : InvoiceNumberingContract, IDisposable
{
    private readonly TemporaryStore store = new();

    public LiteDbInvoiceNumberingTests() => Invoices = new LiteDbInvoiceStore(store.Database, store.Audit, TimeProvider.System);

    protected override IInvoiceStore Invoices { get; }
    protected override IAuditLog Audit => store.Audit;

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlInvoiceNumberingTests : InvoiceNumberingContract, IDisposable
{
    private readonly TemporaryDatabase database = new();

    public PostgreSqlInvoiceNumberingTests() => Invoices = new Smart.Web.Storage.Invoices.PostgreSqlInvoiceStore(database.DataSource, TimeProvider.System);

    protected override IInvoiceStore Invoices { get; }
    protected override IAuditLog Audit => database.Audit;

    public void Dispose() => database.Dispose();
}
