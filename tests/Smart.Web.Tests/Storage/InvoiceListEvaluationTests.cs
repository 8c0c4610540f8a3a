using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Tests.Reevaluation;

namespace Smart.Web.Tests.Storage;

/// <summary>
/// A list is given each invoice's evaluation without its trace (most of an evaluation, and shown only on the invoice's own page); the
/// invoice read alone is given it whole. Both stores alike.
/// </summary>
public sealed class InvoiceListEvaluationTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_list_gives_the_evaluation_without_its_trace_and_the_invoice_read_alone_gives_it_whole()
    {
        using var app = new SmartWebFactory();
        var docs = await ReevaluationTests.DocumentsAsync(app, drafts: 2);
        var store = app.Services.GetRequiredService<IInvoiceStore>();
        var whole = (await store.GetAsync(docs.Issued))!;
        Assert.NotEmpty(whole.Evaluation!.Trace);
        var withoutTrace = JsonSerializer.Serialize(whole.Evaluation with { Trace = [] }, Json);

        var unit = new InvoiceQuery(CountryScope.All) { ProductionUnitId = whole.ProductionUnitId };
        var listed = (await store.SearchAsync(unit)).Rows;
        Assert.Equal(docs.Drafts.Append(docs.Issued).Order(), listed.Select(i => i.Id).Order());
        Assert.All(listed, i => Assert.Empty(i.Evaluation!.Trace));
        Assert.Equal(withoutTrace, JsonSerializer.Serialize(listed.Single(i => i.Id == docs.Issued).Evaluation, Json));

        var exported = await store.ExportAsync(unit).ToListAsync();
        Assert.Equal(withoutTrace, JsonSerializer.Serialize(exported.Single(i => i.Id == docs.Issued).Evaluation, Json));
        // Read alone again after the lists: still whole.
        Assert.Equal(JsonSerializer.Serialize(whole.Evaluation, Json), JsonSerializer.Serialize((await store.GetAsync(docs.Issued))!.Evaluation, Json));
    }
}
