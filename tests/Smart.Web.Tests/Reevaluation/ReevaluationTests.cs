using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using MediatR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Budget;
using Smart.Web.Jobs;
using Smart.Web.Reevaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Reevaluation;

/// <summary>The bulk re-evaluation: its job on the real app and a real LiteDB file, its restart, and its pages.</summary>
public sealed class ReevaluationTests
{
    private const string Reason = "Belgian contribution rate for 2026";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int IdOf(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return int.Parse(redirect.Headers.Location!.OriginalString.Split('/').Last().Split('?')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>A fresh Belgian unit with a budget for contracts, run by a Belgian member.</summary>
    private static async Task<ProductionUnit> NewUnitAsync(SmartWebFactory app, string country = "BE")
    {
        var owner = (await app.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.Only(country)) { Take = 1 })).Rows[0];
        return await app.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = country, Name = $"Re-evaluation test {Guid.NewGuid():N}", MemberId = owner.Id, Sector = owner.Sector,
            OpeningBalance = 100_000m, Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
    }

    /// <summary>A draft invoice saved through the page, as staff save one: evaluated and stored by the save handler.</summary>
    private static async Task<int> DraftInvoiceAsync(Browser staff, ProductionUnit unit, Client client, string price)
    {
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        return IdOf(await staff.SubmitAsync(form, ("Data.ClientId", Text(client.Id)), ("Data.Issuer", "smartcoop"), ("Data.Date", "2026-03-16"),
            ("Data.DueDate", "2026-04-15"), ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"),
            ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", price)));
    }

    private static async Task<int> DraftContractAsync(Browser staff, ProductionUnit unit, string status = "Draft")
    {
        var form = (await staff.GetPageAsync($"/Contracts/Create?unitId={unit.Id}")).Forms["contract-form"]!;
        return IdOf(await staff.SubmitAsync(form, ("Data.JobCategory", "employee"), ("Data.StartDate", "2026-03-02"), ("Data.EndDate", ""),
            ("Data.Days", "3"), ("Data.Hours", "24"), ("Data.Budget", "1500"), ("Data.Status", status)));
    }

    private static async Task<Client> BelgianClientAsync(SmartWebFactory app) =>
        (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];

    internal sealed record Documents(int[] Drafts, int Issued, int Contract);

    /// <summary>Drafts and one issued invoice of a fresh unit, and a draft contract, all saved through the pages.</summary>
    internal static async Task<Documents> DocumentsAsync(SmartWebFactory app, int drafts)
    {
        var unit = await NewUnitAsync(app);
        var client = await BelgianClientAsync(app);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var ids = new int[drafts];
        for (var i = 0; i < drafts; i++) ids[i] = await DraftInvoiceAsync(staff, unit, client, Text(1000 + i));
        var issued = await DraftInvoiceAsync(staff, unit, client, "2000");
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{issued}")).Forms["issue-form"]!)).StatusCode);
        return new(ids, issued, await DraftContractAsync(staff, unit));
    }

    private static async Task<int> StartAsync(SmartWebFactory app, string? country = null)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new StartReevaluation.Command(Reason, country, "test@smart.coop"));
    }

    private static async Task<ReevaluationRun> FinishedAsync(IServiceProvider services, int runId)
    {
        var runs = services.GetRequiredService<IReevaluationStore>();
        for (var waited = 0; ; waited += 100)
        {
            var run = (await runs.GetAsync(runId))!;
            if (run.Status != ReevaluationStatus.Running) return run;
            Assert.True(waited < 60_000, $"Run {runId} did not finish: {run.Done} of {run.Total} done.");
            await Task.Delay(100);
        }
    }

    private static Task<Invoice?> InvoiceAsync(IServiceProvider services, int id) => services.GetRequiredService<IInvoiceStore>().GetAsync(id);

    /// <summary>A draft whose stored totals no longer match its lines, as if the rules had changed since it was saved.</summary>
    private static async Task<Invoice> TamperAsync(IServiceProvider services, int id)
    {
        var invoices = services.GetRequiredService<IInvoiceStore>();
        var draft = (await invoices.GetAsync(id))!;
        var tampered = draft with { Evaluation = draft.Evaluation! with { Totals = new Totals(1m, 0m, 1m) } };
        var saved = await invoices.UpdateDraftAsync(tampered, draft.Version, new AuditActor("test"));
        Assert.True(saved.Updated);
        return saved.Current!;
    }

    [Fact]
    public async Task Unchanged_rules_write_nothing_and_a_stale_draft_is_the_only_one_written_with_its_trace_and_an_audit_entry()
    {
        using var app = new SmartWebFactory();
        var docs = await DocumentsAsync(app, drafts: 3);
        var before = new Dictionary<int, Invoice>();
        foreach (var id in docs.Drafts.Append(docs.Issued)) before[id] = (await InvoiceAsync(app.Services, id))!;
        var contractVersion = (await app.Services.GetRequiredService<IContractStore>().GetAsync(docs.Contract))!.Version;

        var first = await FinishedAsync(app.Services, await StartAsync(app, "BE"));

        Assert.Equal(ReevaluationStatus.Done, first.Status);
        Assert.Equal(4, first.Total);
        Assert.Equal(4, first.Done);
        Assert.Equal(0, first.Changed);
        Assert.Equal(0, first.Failed);
        foreach (var (id, invoice) in before) Assert.Equal(invoice.Version, (await InvoiceAsync(app.Services, id))!.Version);
        Assert.Equal(contractVersion, (await app.Services.GetRequiredService<IContractStore>().GetAsync(docs.Contract))!.Version);

        var tampered = await TamperAsync(app.Services, docs.Drafts[1]);
        var second = await FinishedAsync(app.Services, await StartAsync(app, "BE"));

        Assert.Equal(1, second.Changed);
        var fixedDraft = (await InvoiceAsync(app.Services, docs.Drafts[1]))!;
        Assert.Equal(tampered.Version + 1, fixedDraft.Version);
        Assert.Equal(before[docs.Drafts[1]].Evaluation!.Totals, fixedDraft.Evaluation!.Totals);
        Assert.NotEmpty(fixedDraft.Evaluation.Trace);
        foreach (var id in new[] { docs.Drafts[0], docs.Drafts[2], docs.Issued })
            Assert.Equal(before[id].Version, (await InvoiceAsync(app.Services, id))!.Version);
        var entry = (await app.Services.GetRequiredService<IAuditLog>().ForEntityAsync(AuditedEntity.Invoice, Text(docs.Drafts[1])))[0];
        Assert.Equal("system:reevaluation", entry.Actor);
        Assert.Contains(entry.Changes, c => c.Field == "Reason" && c.After == Reason);
        Assert.Contains(entry.Changes, c => c.Field == "Evaluation" && c.Before!.Contains("gross 1,", StringComparison.Ordinal));
    }

    /// <summary>The book in force with one Belgian rate of a rule file replaced, the file otherwise as shipped.</summary>
    private static RuleBook Raised(RuleBook book, string topic, string from, string to)
    {
        var set = book.RuleSets.Single(s => s.File.Country == "BE" && s.Topic == topic);
        var text = File.ReadAllText(Path.Combine(Repo.Root, "rules", "be", topic + ".json"));
        Assert.Contains(from, text);
        return book.Check(new RuleSource("BE", set.Path, text.Replace(from, to, StringComparison.Ordinal))).Book!;
    }

    [Fact]
    public async Task Changed_rates_rewrite_every_draft_invoice_and_open_contract_and_never_an_issued_invoice_or_a_cancelled_contract()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            Documents docs;
            Invoice issued;
            Contract cancelled, confirmed;
            LedgerTotals confirmedUnit;
            DocumentEvaluator raised;
            using (var before = SmartWebFactory.OnDataDirectory(data))
            {
                docs = await DocumentsAsync(before, drafts: 2);
                issued = (await InvoiceAsync(before.Services, docs.Issued))!;
                var saved = before.Services.GetRequiredService<IContractStore>();
                using (var staff = await Browser.SignedInAsync(before, "staff@smart.coop"))
                {
                    cancelled = (await saved.GetAsync(await DraftContractAsync(staff, await NewUnitAsync(before), "Cancelled")))!;
                    confirmed = (await saved.GetAsync(await DraftContractAsync(staff, await NewUnitAsync(before), "Confirmed")))!;
                }
                confirmedUnit = await before.Services.GetRequiredService<ILedgerStore>().TotalsAsync(confirmed.ProductionUnitId);
                Assert.Equal(LedgerRules.Cost(confirmed), confirmedUnit.Reserved);
                var book = Raised(before.Services.GetRequiredService<RuleBook>(), Topics.Contribution, "\"value\": 0.065", "\"value\": 0.07");
                raised = new DocumentEvaluator(Raised(book, Topics.Employment, "\"value\": 0.061", "\"value\": 0.065"));
            }

            // The app after a publication: its evaluator is the new book. One document a batch: after the first changed, the next ones are
            // evaluated with their trace at once (most of the last batch changed), and must come out the same.
            using var factory = SmartWebFactory.OnDataDirectory(data, new Dictionary<string, string> { ["Smart:Reevaluation:BatchSize"] = "1" });
            using var after = factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddTransient(_ => raised)));
            using var scope = after.Services.CreateScope();
            var runId = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new StartReevaluation.Command(Reason, null, "test@smart.coop"));
            var run = await FinishedAsync(after.Services, runId);

            Assert.Equal(4, run.Changed);
            foreach (var id in docs.Drafts)
            {
                var draft = (await InvoiceAsync(after.Services, id))!;
                Assert.Equal(0.07m, draft.Evaluation!.Contribution.Rate);
                Assert.Equal(Math.Round(draft.Evaluation.Contribution.Base * 0.07m, 2, MidpointRounding.AwayFromZero), draft.Evaluation.Contribution.Amount);
                Assert.NotEmpty(draft.Evaluation.Trace);
            }
            var issuedAfter = (await InvoiceAsync(after.Services, docs.Issued))!;
            Assert.Equal(issued.Version, issuedAfter.Version);
            Assert.Equal(0.065m, issuedAfter.Evaluation!.Contribution.Rate);
            var contracts = after.Services.GetRequiredService<IContractStore>();
            var open = (await contracts.GetAsync(docs.Contract))!;
            Assert.Equal(Math.Round(1500m * 0.065m, 2, MidpointRounding.AwayFromZero), open.Evaluation!.Employment.MutualisedContribution);
            Assert.NotEmpty(open.Evaluation.Trace);
            var entry = (await after.Services.GetRequiredService<IAuditLog>().ForEntityAsync(LiteDbContractStore.AuditedEntityType, Text(open.Id)))[0];
            Assert.Equal("system:reevaluation", entry.Actor);
            // A confirmed contract re-evaluated still holds its cost, once: the run read what it held and wrote no new reservation.
            var confirmedAfter = (await contracts.GetAsync(confirmed.Id))!;
            Assert.Equal(confirmed.Version + 1, confirmedAfter.Version);
            Assert.Equal(confirmedUnit, await after.Services.GetRequiredService<ILedgerStore>().TotalsAsync(confirmed.ProductionUnitId));
            var cancelledAfter = (await contracts.GetAsync(cancelled.Id))!;
            Assert.Equal(cancelled.Version, cancelledAfter.Version);
            Assert.Equal(cancelled.Evaluation!.Employment, cancelledAfter.Evaluation!.Employment);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>A contract whose stored split no longer matches its budget, as if the rules had changed since it was saved.</summary>
    private static async Task<Contract> StaleContractAsync(IServiceProvider services, int id)
    {
        var contracts = services.GetRequiredService<IContractStore>();
        var contract = (await contracts.GetAsync(id))!;
        // A save of the same fields is not a change (no new version): the evaluation is written as a run writes one.
        var stale = contract.Evaluation! with { Employment = contract.Evaluation.Employment with { MutualisedContribution = 1m } };
        Assert.True((await contracts.ReplaceEvaluationsAsync([new(id, contract.Version, stale, [])], ReevaluateDocuments.ContractStatuses, new AuditActor("test"))).Single());
        return (await contracts.GetAsync(id))!;
    }

    [Fact]
    public async Task A_paid_contract_is_neither_evaluated_nor_counted_and_keeps_its_evaluation_while_an_open_one_is_rewritten()
    {
        using var app = new SmartWebFactory();
        var unit = await NewUnitAsync(app);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var contracts = app.Services.GetRequiredService<IContractStore>();
        var openId = await DraftContractAsync(staff, unit, "Confirmed");
        var saved = (await contracts.GetAsync(openId))!.Evaluation!.Employment;
        var open = await StaleContractAsync(app.Services, openId);
        var stale = await StaleContractAsync(app.Services, await DraftContractAsync(staff, unit, "Confirmed"));
        var paying = await contracts.PaySalaryAsync(stale.Id, new DateOnly(2026, 3, 10), new AuditActor("test"));
        Assert.True(paying.Updated);
        var paid = paying.Current!;

        var run = await FinishedAsync(app.Services, await StartAsync(app, "BE"));

        // Both are stale; only the open one is the run's: the paid one is not among its documents, nor evaluated, nor refused at the write.
        Assert.Equal(ReevaluationStatus.Done, run.Status);
        Assert.Equal(1, run.Total);
        Assert.Equal(1, run.Done);
        Assert.Equal(1, run.Changed);
        Assert.Equal(0, run.Skipped);
        Assert.Equal(0, run.Failed);
        var openAfter = (await contracts.GetAsync(open.Id))!;
        Assert.Equal(open.Version + 1, openAfter.Version);
        Assert.Equal(saved, openAfter.Evaluation!.Employment);
        var paidAfter = (await contracts.GetAsync(paid.Id))!;
        Assert.Equal(paid.Version, paidAfter.Version);
        Assert.Equal(1m, paidAfter.Evaluation!.Employment.MutualisedContribution);
        Assert.DoesNotContain((await app.Services.GetRequiredService<IAuditLog>().ForEntityAsync(LiteDbContractStore.AuditedEntityType, Text(paid.Id))),
            e => e.Actor == ReevaluateDocuments.Actor.Name);
    }

    [Fact]
    public async Task A_run_interrupted_after_a_batch_resumes_at_start_up_from_its_cursor_without_evaluating_the_finished_batch_again()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            Documents docs;
            int runId;
            using (var before = SmartWebFactory.OnDataDirectory(data))
            {
                docs = await DocumentsAsync(before, drafts: 4);
                // Both stale: re-evaluating either would rewrite it.
                await TamperAsync(before.Services, docs.Drafts[0]);
                await TamperAsync(before.Services, docs.Drafts[3]);
                // The app stopped after the run had saved its first batch (the first two drafts) and before its next one.
                runId = (await before.Services.GetRequiredService<IReevaluationStore>().AddAsync(new ReevaluationRun
                {
                    Reason = Reason, StartedBy = "test@smart.coop", Country = "BE", StartedAtUtc = DateTime.UtcNow, Total = 5, Done = 2,
                    InvoiceCursor = docs.Drafts[1],
                })).Id;
            }

            using var after = SmartWebFactory.OnDataDirectory(data);
            var run = await FinishedAsync(after.Services, runId);

            Assert.Equal(ReevaluationStatus.Done, run.Status);
            Assert.Equal(5, run.Done);
            Assert.Equal(1, run.Changed);
            Assert.Equal(1m, (await InvoiceAsync(after.Services, docs.Drafts[0]))!.Evaluation!.Totals.Gross);
            Assert.NotEqual(1m, (await InvoiceAsync(after.Services, docs.Drafts[3]))!.Evaluation!.Totals.Gross);
            Assert.Equal(docs.Drafts[3], run.InvoiceCursor);
            Assert.Equal(docs.Contract, run.ContractCursor);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    [Theory]
    [InlineData("staff@smart.coop", HttpStatusCode.Forbidden)]
    [InlineData("approver@smart.coop", HttpStatusCode.Forbidden)]
    [InlineData("compliance@smart.coop", HttpStatusCode.OK)]
    [InlineData("admin@smart.coop", HttpStatusCode.OK)]
    [InlineData("partner.fr@smart.coop", HttpStatusCode.OK)]
    public async Task The_page_answers_each_role_as_it_must(string account, HttpStatusCode expected)
    {
        using var app = new SmartWebFactory();
        using var browser = await Browser.SignedInAsync(app, account);
        Assert.Equal(expected, (await browser.Client.GetAsync("/Reevaluation")).StatusCode);
        var link = (await browser.GetPageAsync("/")).QuerySelector("[data-nav='/Reevaluation/Index']");
        Assert.Equal(expected == HttpStatusCode.OK, link is not null);
    }

    /// <summary>The start form with an "every country" option added, as someone editing the page in their browser would.</summary>
    private static IHtmlFormElement WithEveryCountryForced(IHtmlDocument page)
    {
        var form = page.Forms["start-form"]!;
        var forced = (IHtmlOptionElement)page.CreateElement("option");
        forced.Value = "";
        form.QuerySelector("select[name='Data.Country']")!.AppendChild(forced);
        return form;
    }

    [Fact]
    public async Task A_partner_administrator_sees_and_starts_only_runs_of_their_country()
    {
        using var app = new SmartWebFactory();
        var belgian = await StartAsync(app, "BE");
        var everyCountry = await StartAsync(app);
        var french = await StartAsync(app, "FR");
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");

        var page = await partner.GetPageAsync("/Reevaluation");
        Assert.Equal([Text(french)], page.QuerySelectorAll("#runs tr[data-run]").Select(r => r.GetAttribute("data-run")!));
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Reevaluation/Details/{belgian}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Reevaluation/Details/{everyCountry}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Reevaluation/Details/{belgian}?handler=Progress")).StatusCode);

        // No "all countries" choice is offered, and forcing one (an empty country) or leaving out the reason is refused on the field.
        var form = page.Forms["start-form"]!;
        var countries = (IHtmlSelectElement)form.QuerySelector("select[name='Data.Country']")!;
        Assert.Equal(["FR"], countries.Options.Select(o => o.Value));
        var refused = await partner.SubmitAsync(WithEveryCountryForced(page), ("Data.Reason", ""), ("Data.Country", ""));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var errors = await Browser.DocumentAsync(refused);
        Assert.NotEmpty(errors.QuerySelector("[data-valmsg-for='Data.Reason']")!.TextContent.Trim());
        var withReason = await partner.SubmitAsync(WithEveryCountryForced(errors), ("Data.Reason", Reason), ("Data.Country", ""));
        Assert.Equal(HttpStatusCode.OK, withReason.StatusCode);
        Assert.NotEmpty((await Browser.DocumentAsync(withReason)).QuerySelector("[data-valmsg-for='Data.Country']")!.TextContent.Trim());
        Assert.Equal(3, (await app.Services.GetRequiredService<IReevaluationStore>().SearchAsync(CountryScope.All, 0, 10)).Total);

        var started = IdOf(await partner.SubmitAsync((await partner.GetPageAsync("/Reevaluation")).Forms["start-form"]!, ("Data.Reason", Reason), ("Data.Country", "FR")));
        var run = (await app.Services.GetRequiredService<IReevaluationStore>().GetAsync(started))!;
        Assert.Equal("FR", run.Country);
        Assert.Equal("partner.fr@smart.coop", run.StartedBy);
    }

    [Fact]
    public async Task The_details_page_shows_a_running_runs_progress_and_its_endpoint_follows_it_to_the_end()
    {
        using var app = new SmartWebFactory();
        var runs = app.Services.GetRequiredService<IReevaluationStore>();
        // Recorded but not queued, as a run the job is working on: its counters are what the page must show.
        var running = await runs.AddAsync(new ReevaluationRun { Reason = Reason, StartedBy = "test@smart.coop", Country = "BE", StartedAtUtc = DateTime.UtcNow, Total = 10, Done = 4 });
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");

        var page = await officer.GetPageAsync($"/Reevaluation/Details/{running.Id}");
        Assert.Equal("40", page.QuerySelector("#progress")!.GetAttribute("aria-valuenow"));
        Assert.Equal("Running", page.QuerySelector("#run")!.GetAttribute("data-status"));
        Assert.NotNull(page.QuerySelector("script[src^='/js/reevaluation-progress.js']"));
        var progress = JsonDocument.Parse(await officer.Client.GetStringAsync(page.QuerySelector("#run")!.GetAttribute("data-progress-url"))).RootElement;
        Assert.Equal(40, progress.GetProperty("percent").GetInt32());

        await DocumentsAsync(app, drafts: 1);
        var started = IdOf(await officer.SubmitAsync((await officer.GetPageAsync("/Reevaluation")).Forms["start-form"]!, ("Data.Reason", Reason), ("Data.Country", "BE")));
        await FinishedAsync(app.Services, started);
        var done = JsonDocument.Parse(await officer.Client.GetStringAsync($"/Reevaluation/Details/{started}?handler=Progress")).RootElement;
        Assert.Equal("Done", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("percent").GetInt32());
        Assert.Equal(2, done.GetProperty("done").GetInt32());
        var finished = await officer.GetPageAsync($"/Reevaluation/Details/{started}");
        Assert.Equal("100", finished.QuerySelector("#progress")!.GetAttribute("aria-valuenow"));
        Assert.Equal(Reason, finished.QuerySelector("[data-field='reason']")!.TextContent);
        Assert.NotNull((await officer.GetPageAsync("/Reevaluation")).QuerySelector($"#runs tr[data-run='{started}'][data-status='Done']"));
    }

    [Fact]
    public async Task A_new_evaluation_is_never_written_over_a_draft_edited_since_it_was_read_nor_on_an_issued_invoice()
    {
        using var app = new SmartWebFactory();
        var docs = await DocumentsAsync(app, drafts: 1);
        var invoices = app.Services.GetRequiredService<IInvoiceStore>();
        var read = (await InvoiceAsync(app.Services, docs.Drafts[0]))!;
        var edited = await TamperAsync(app.Services, docs.Drafts[0]);
        var issued = (await InvoiceAsync(app.Services, docs.Issued))!;
        var stale = read.Evaluation! with { Totals = new Totals(2m, 0m, 2m) };

        var written = await invoices.ReplaceDraftEvaluationsAsync(
            [new(read.Id, read.Version, stale, []), new(issued.Id, issued.Version, stale, [])], ReevaluateDocuments.Actor);

        Assert.Equal([false, false], written);
        Assert.Equal(edited.Version, (await InvoiceAsync(app.Services, read.Id))!.Version);
        Assert.Equal(1m, (await InvoiceAsync(app.Services, read.Id))!.Evaluation!.Totals.Gross);
        Assert.Equal(issued.Evaluation!.Totals, (await InvoiceAsync(app.Services, issued.Id))!.Evaluation!.Totals);
        Assert.True((await invoices.ReplaceDraftEvaluationsAsync([new(read.Id, edited.Version, stale, [])], ReevaluateDocuments.Actor)).Single());
    }
}
