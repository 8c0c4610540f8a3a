using System.Text.Json;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Tests.Reevaluation;

namespace Smart.Web.Tests.Storage;

/// <summary>
/// Invoices' and contracts' evaluations live in their own collections; a store written before, with each evaluation inside its document,
/// is moved once at start-up, a batch at a time, and the app then shows every evaluation as it was.
/// </summary>
[Trait("Store", "Chosen")]
public sealed class EvaluationCollectionTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_store_with_evaluations_inside_its_documents_is_moved_at_start_and_shows_every_evaluation_as_it_was()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            ReevaluationTests.Documents docs;
            Dictionary<int, string> invoices, contracts;
            IReadOnlyList<int> many;
            using (var app = SmartWebFactory.OnDataDirectory(data))
            {
                docs = await ReevaluationTests.DocumentsAsync(app, drafts: 2);
                var store = app.Services.GetRequiredService<IInvoiceStore>();
                var issued = (await store.GetAsync(docs.Issued))!;
                // More invoices than one batch of the move, carrying the issued one's evaluation.
                many = ((LiteDbInvoiceStore)store).ImportMany(Enumerable.Range(0, 1200).Select(n => issued with { Id = 0, Number = $"BE-2025-{n:000000}" }).ToList());
                invoices = [];
                foreach (var id in docs.Drafts.Append(docs.Issued).Concat(many)) invoices[id] = JsonSerializer.Serialize((await store.GetAsync(id))!.Evaluation, Json);
                contracts = new() { [docs.Contract] = JsonSerializer.Serialize((await app.Services.GetRequiredService<IContractStore>().GetAsync(docs.Contract))!.Evaluation, Json) };
                Assert.All(invoices.Values.Concat(contracts.Values), json => Assert.NotEqual("null", json));
            }

            // The old shape: each evaluation back inside its document, no evaluation collections, the move not recorded; one invoice
            // left moved already, as a start stopped between two batches leaves a store.
            using (var file = new LiteDbFile(data))
            {
                Embed(file.Database, "invoices", "invoiceEvaluations", keepMoved: docs.Drafts[0]);
                Embed(file.Database, "contracts", "contractEvaluations", keepMoved: null);
                file.Database.DropCollection("storeMigrations");
                Assert.True(file.Database.GetCollection("invoices").FindById(docs.Issued).ContainsKey("Evaluation"));
                Assert.Equal(1, file.Database.GetCollection("invoiceEvaluations").Count());
            }

            for (var start = 0; start < 2; start++)
            {
                using var app = SmartWebFactory.OnDataDirectory(data);
                var store = app.Services.GetRequiredService<IInvoiceStore>();
                foreach (var (id, json) in invoices) Assert.Equal(json, JsonSerializer.Serialize((await store.GetAsync(id))!.Evaluation, Json));
                Assert.Equal(contracts[docs.Contract], JsonSerializer.Serialize((await app.Services.GetRequiredService<IContractStore>().GetAsync(docs.Contract))!.Evaluation, Json));
                var database = app.Services.GetRequiredService<LiteDatabase>();
                Assert.Equal(0, database.GetCollection("invoices").Count("$.Evaluation != null"));
                Assert.Equal(0, database.GetCollection("contracts").Count("$.Evaluation != null"));
                Assert.Equal(invoices.Count, database.GetCollection("invoiceEvaluations").Count());

                using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
                var page = await staff.GetPageAsync($"/Invoices/Details/{docs.Issued}");
                var gross = JsonDocument.Parse(invoices[docs.Issued]).RootElement.GetProperty("totals").GetProperty("gross").GetDecimal();
                Assert.Equal(gross, decimal.Parse(page.QuerySelector("#totals")!.GetAttribute("data-gross")!, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>Puts each evaluation of <paramref name="evaluations"/> back into its document and drops the collection (but for <paramref name="keepMoved"/>).</summary>
    private static void Embed(LiteDatabase database, string documents, string evaluations, int? keepMoved)
    {
        var source = database.GetCollection(documents);
        var moved = database.GetCollection(evaluations);
        foreach (var evaluation in moved.FindAll().ToList())
        {
            if (evaluation["_id"].AsInt32 == keepMoved) continue;
            var document = source.FindById(evaluation["_id"]);
            document["Evaluation"] = evaluation["Evaluation"];
            source.Update(document);
            moved.Delete(evaluation["_id"]);
        }
    }
}
