using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Tests.Storage;

namespace Smart.Web.Tests.Invoices;

/// <summary>The fields a line gained with the legal review of 2026-12, on both stores.</summary>
public abstract class InvoiceLineStorageContract
{
    protected abstract IInvoiceStore Invoices { get; }

    /// <summary>Rewrites the stored invoice's lines as they were stored before the fields existed: no WorkKind, no PerformedIn key at all.</summary>
    protected abstract void StoreLinesWithoutLegalReviewFields(int invoiceId);

    private static readonly Client Client = new()
    {
        Country = "NL", Kind = ClientKind.Business, Name = "Uitgeverij", Address = "Kade 1", City = "Amsterdam",
    };

    private Task<Invoice> DraftAsync(params InvoiceLineItem[] lines) => Invoices.AddDraftAsync(new Invoice
    {
        Country = "NL", ProductionUnitId = 1, ClientId = 1, Issuer = "smartcoop", Date = new DateOnly(2026, 3, 15), Lines = lines,
    }, TemporaryStore.Adviser);

    [Fact]
    public async Task A_line_keeps_its_kind_of_work_and_place_of_performance()
    {
        var draft = await DraftAsync(new InvoiceLineItem("Novel", "author-rights", 1m, 1000m) { WorkKind = "literary" },
            new InvoiceLineItem("Reading", "artistic-performance", 1m, 300m) { PerformedIn = "BE" });

        var read = (await Invoices.GetAsync(draft.Id))!;
        Assert.Equal(("literary", (string?)null), (read.Lines[0].WorkKind, read.Lines[0].PerformedIn));
        Assert.Equal(((string?)null, "BE"), (read.Lines[1].WorkKind, read.Lines[1].PerformedIn));
        var document = EvaluationInputs.Invoice(read, Client, null, MemberIncome.None);
        Assert.Equal(("literary", "BE"), (document.Lines[0].WorkKind, document.Lines[1].PerformedIn));
    }

    [Fact]
    public async Task An_invoice_stored_before_the_legal_review_loads_without_kind_of_work_or_place()
    {
        var draft = await DraftAsync(new InvoiceLineItem("Novel", "author-rights", 1m, 1000m) { WorkKind = "literary", PerformedIn = "FR" });
        StoreLinesWithoutLegalReviewFields(draft.Id);

        var read = (await Invoices.GetAsync(draft.Id))!;
        Assert.Equal(("Novel", 1000m, (string?)null, (string?)null), (read.Lines[0].Description, read.Lines[0].UnitPrice, read.Lines[0].WorkKind, read.Lines[0].PerformedIn));
        var line0 = EvaluationInputs.Invoice(read, Client, null, MemberIncome.None).Lines[0];
        Assert.Equal(((string?)null, (string?)null), (line0.WorkKind, line0.PerformedIn));
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbInvoiceLineStorageTests : InvoiceLineStorageContract, IDisposable
{
    private readonly TemporaryStore store = new();

    public LiteDbInvoiceLineStorageTests() => Invoices = new LiteDbInvoiceStore(store.Database, store.Audit, TimeProvider.System);

    protected override IInvoiceStore Invoices { get; }

    protected override void StoreLinesWithoutLegalReviewFields(int invoiceId)
    {
        var raw = store.Database.GetCollection("invoices");
        var stored = raw.FindById(invoiceId);
        foreach (var line in stored["Lines"].AsArray.Select(l => l.AsDocument)) { line.Remove("WorkKind"); line.Remove("PerformedIn"); }
        raw.Update(stored);
    }

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlInvoiceLineStorageTests : InvoiceLineStorageContract, IDisposable
{
    private readonly TemporaryDatabase database = new();

    public PostgreSqlInvoiceLineStorageTests() => Invoices = new Smart.Web.Storage.Invoices.PostgreSqlInvoiceStore(database.DataSource, TimeProvider.System);

    protected override IInvoiceStore Invoices { get; }

    protected override void StoreLinesWithoutLegalReviewFields(int invoiceId) => database.Execute(
        $$"""
        update invoices set document = jsonb_set(document, '{Lines}',
            (select jsonb_agg(line - 'WorkKind' - 'PerformedIn') from jsonb_array_elements(document -> 'Lines') as line))
        where id = {{invoiceId}}
        """);

    public void Dispose() => database.Dispose();
}
