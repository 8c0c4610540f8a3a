using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Corrections;
using Smart.Web.Hosting;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.RuleSets;
using Smart.Web.Tests.Rules;

namespace Smart.Web.Tests.Corrections;

/// <summary>
/// Correction runs (issue 17, item 3) on the since-issue scenario: Belgian author-rights invoices of 2025 issued while the 2025 bands were carried
/// forward from 2024, then a contribution rate for June 2025 on and the late bands published. A compliance officer proposes a run from the
/// since-issue comparison; the proposer cannot accept it; an approver does; the job writes one statement per affected member and year whose
/// totals are the comparison's, and cancels the invoice whose contribution changed by a credit note and a new invoice from the usual sequences.
/// Stopped right after its credit note and restarted on the same data, it finishes with one statement per member-year and one pair per invoice.
/// </summary>
public sealed class CorrectionRunTests
{
    internal sealed record Scenario(int First, int Second, int Crossing, int InSecondBand, int Unchanged, int Service, RuleSetVersion Late, int ComparisonId);

    internal static decimal Value(IHtmlDocument page, string selector) =>
        decimal.Parse(page.QuerySelector(selector)!.GetAttribute("data-value")!, CultureInfo.InvariantCulture);

    private static async Task PublishContributionAsync(WebApplicationFactory<Program> app, string from, decimal rate)
    {
        const string key = "be/contribution.json";
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.InForceAsync(key))!;
        var file = JObject.Parse(inForce.Text);
        ((JArray)file["parameters"]!["InvoicingContributionRate"]!["values"]!).Add(new JObject { ["from"] = from, ["value"] = rate });
        // The file's own tests of later dates expect the old rate: a book whose tests fail keeps the version before it.
        foreach (var test in ((JArray)file["tests"]!).Where(t => string.CompareOrdinal((string?)t["input"]?["date"], from) >= 0).ToList()) test.Remove();
        var draft = await store.AddDraftAsync(key, "BE", "contribution", file.ToString(), inForce.Id, new AuditActor("compliance@smart.coop"));
        await store.SubmitAsync(draft.Id, "contribution from June 2025", new AuditActor("compliance@smart.coop"));
        await store.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"));
        app.Services.GetRequiredService<RuleBookInForce>().Reload();
        await Task.Delay(20);
    }

    /// <summary>The since-issue scenario with one more late change (the contribution rate from June 2025), compared by the officer on the page.</summary>
    internal static async Task<Scenario> ScenarioAsync(WebApplicationFactory<Program> app)
    {
        var withLateFigures = (await app.Services.GetRequiredService<IRuleSetStore>().InForceAsync("be/author-rights.json"))!.Text;
        await SinceIssueTests.PublishAsync(app, SinceIssueTests.CarriedForward, "2025 figures not published yet: 2024 carried forward");
        var (first, firstUnit) = await SinceIssueTests.MemberAsync(app, "Near-the-band");
        var (second, secondUnit) = await SinceIssueTests.MemberAsync(app, "Below-the-band");
        // The second reads Dutch: their statement is written in it, the first's in the country's first language.
        var directory = app.Services.GetRequiredService<IMemberStore>();
        Assert.True((await directory.UpdateAsync(second with { Language = "nl" }, second.Version, new AuditActor("test"))).Updated);
        int crossing, inSecondBand, unchanged, service;
        using (var staff = await Browser.SignedInAsync(app, "staff@smart.coop"))
        {
            crossing = await SinceIssueTests.IssuedAsync(app, staff, firstUnit, "2025-03-10", 19_800m);
            inSecondBand = await SinceIssueTests.IssuedAsync(app, staff, firstUnit, "2025-04-10", 1_000m);
            unchanged = await SinceIssueTests.IssuedAsync(app, staff, secondUnit, "2025-05-12", 1_000m);
            service = await SinceIssueTests.IssuedAsync(app, staff, secondUnit, "2025-06-02", 800m, authorRights: false);
        }
        await PublishContributionAsync(app, "2025-06-01", 0.08m);
        var late = await SinceIssueTests.PublishAsync(app, _ => withLateFigures, "the 2025 bands published");
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var start = await officer.GetPageAsync($"/Rules/Simulations/SinceIssue/{late.Id}");
        var id = SimulationTests.IdOf(await officer.SubmitAsync(start.Forms["since-issue-form"]!, ("Data.From", "2025-01-01"), ("Data.To", "2025-12-31")));
        var progress = await SimulationTests.FinishedAsync(officer, id);
        Assert.Equal("Done", progress.GetProperty("status").GetString());
        var compared = (await app.Services.GetRequiredService<ISimulationStore>().GetAsync(id))!;
        var serviceInvoice = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(service))!;
        Assert.True(3 == progress.GetProperty("affected").GetInt32(), $"{progress} {string.Join(" | ", compared.Problems)} contribution {serviceInvoice.Evaluation!.Contribution.Rate} {serviceInvoice.Evaluation.Contribution.Amount} {string.Join(",", serviceInvoice.Evaluation.Rulesets.Select(r => r.Id + r.StoreVersion))}");
        return new Scenario(first.Id, second.Id, crossing, inSecondBand, unchanged, service, late, id);
    }

    internal static async Task<int> ProposeAsync(Browser officer, int comparisonId)
    {
        var comparison = await officer.GetPageAsync($"/Rules/Simulations/{comparisonId}");
        Assert.Equal($"/Rules/Corrections/Propose/{comparisonId}", comparison.QuerySelector("#propose-correction")!.GetAttribute("href"));
        var form = (await officer.GetPageAsync($"/Rules/Corrections/Propose/{comparisonId}")).Forms["propose-form"]!;
        return SimulationTests.IdOf(await officer.SubmitAsync(form, ("Data.From", "2025-01-01"), ("Data.To", "2025-12-31"), ("Data.Reason", "the 2025 bands published late")));
    }

    internal static async Task<JsonElement> FinishedAsync(Browser browser, int runId)
    {
        for (var waited = 0; ; waited += 100)
        {
            var response = await browser.Client.GetAsync($"/Rules/Corrections/{runId}?handler=Progress");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var progress = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            if (progress.GetProperty("status").GetString() is "Done" or "Failed") return progress;
            Assert.True(waited < 180_000, $"Correction run {runId} did not finish: {progress}");
            await Task.Delay(100);
        }
    }

    /// <summary>A run proposed by the officer from the scenario's comparison and accepted by the approver.</summary>
    private static async Task<int> AcceptedAsync(WebApplicationFactory<Program> app, Scenario scenario)
    {
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var runId = await ProposeAsync(officer, scenario.ComparisonId);
        using var approver = await Browser.SignedInAsync(app, "approver@smart.coop");
        Assert.Equal(HttpStatusCode.Redirect,
            (await approver.SubmitAsync((await approver.GetPageAsync($"/Rules/Corrections/{runId}")).Forms["review-form"]!, ("Data.Accept", "true"))).StatusCode);
        return runId;
    }

    private static async Task UntilAsync(Func<Task<bool>> reached, string failure)
    {
        for (var waited = 0; !await reached(); waited += 100)
        {
            Assert.True(waited < 180_000, failure);
            await Task.Delay(100);
        }
    }

    /// <summary>The run once a restarted app has taken it up and finished it.</summary>
    private static async Task<CorrectionRun> ResumedAsync(ICorrectionStore runs, int runId)
    {
        await UntilAsync(async () => (await runs.GetAsync(runId))!.IsFinished, $"Correction run {runId} was not resumed and finished.");
        return (await runs.GetAsync(runId))!;
    }

    [Fact]
    public async Task An_approved_run_writes_statements_that_add_up_and_corrects_the_invoice_whose_contribution_changed() => await ApprovedRunAsync(new SmartWebFactory());

    [Fact]
    public async Task On_PostgreSql_an_approved_run_writes_statements_that_add_up_and_corrects_the_invoice_whose_contribution_changed() =>
        await ApprovedRunAsync(SmartWebFactory.OnPostgreSql());

    private static async Task ApprovedRunAsync(SmartWebFactory app)
    {
        using var _ = app;
        var scenario = await ScenarioAsync(app);
        // The client paid the service invoice in full before the run: the money must follow it to its new invoice.
        var invoices = app.Services.GetRequiredService<IInvoiceStore>();
        var paid = (await invoices.GetAsync(scenario.Service))!.BalanceDue;
        Assert.True((await invoices.RecordPaymentAsync(scenario.Service, new InvoicePayment(new DateOnly(2025, 7, 1), paid, "client transfer"), new AuditActor("staff@smart.coop"))).Updated);
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var runId = await ProposeAsync(officer, scenario.ComparisonId);
        var runs = app.Services.GetRequiredService<ICorrectionStore>();
        Assert.Equal(CorrectionStatus.Proposed, (await runs.GetAsync(runId))!.Status);
        var proposed = await officer.GetPageAsync($"/Rules/Corrections/{runId}");
        Assert.NotNull(proposed.QuerySelector("#awaiting-review"));
        Assert.Null(proposed.QuerySelector("#review-form"));

        // Four eyes: an approver who proposed a run is refused on the form; nothing runs.
        var own = await runs.AddAsync((await runs.GetAsync(runId))! with { Id = 0, ProposedBy = "approver@smart.coop" });
        using var approver = await Browser.SignedInAsync(app, "approver@smart.coop");
        var self = await approver.SubmitAsync((await approver.GetPageAsync($"/Rules/Corrections/{own.Id}")).Forms["review-form"]!, ("Data.Accept", "true"));
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Contains("another approver", (await Browser.DocumentAsync(self)).QuerySelector("#review-form div[role=alert]")!.TextContent, StringComparison.Ordinal);
        // A rejected run ends there, with the approver's comment, and never compares anything.
        var other = await runs.AddAsync((await runs.GetAsync(runId))! with { Id = 0 });
        Assert.Equal(HttpStatusCode.Redirect, (await approver.SubmitAsync((await approver.GetPageAsync($"/Rules/Corrections/{other.Id}")).Forms["review-form"]!,
            ("Data.Accept", "false"), ("Data.Note", "not this period"))).StatusCode);
        var rejected = (await runs.GetAsync(other.Id))!;
        Assert.Equal((CorrectionStatus.Rejected, "approver@smart.coop", "not this period", (int?)null), (rejected.Status, rejected.ReviewedBy, rejected.ReviewNote, rejected.ComparisonId));
        var accepted = await approver.SubmitAsync((await approver.GetPageAsync($"/Rules/Corrections/{runId}")).Forms["review-form"]!, ("Data.Accept", "true"));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(CorrectionStatus.Proposed, (await runs.GetAsync(own.Id))!.Status);
        Assert.Equal(CorrectionStatus.Rejected, (await runs.GetAsync(other.Id))!.Status);

        var progress = await FinishedAsync(officer, runId);
        Assert.Equal("Done", progress.GetProperty("status").GetString());
        var run = (await runs.GetAsync(runId))!;
        Assert.Equal("approver@smart.coop", run.ReviewedBy);
        Assert.Equal((2, 2, 1, 1), (run.MemberYears, run.Statements, run.Invoices, run.Corrected));

        // The same differences are never regularised twice: not from the comparison again, not from the run's own re-comparison; nothing is added.
        async Task<string> RefusedAsync(int comparisonId)
        {
            var refused = await officer.SubmitAsync((await officer.GetPageAsync($"/Rules/Corrections/Propose/{comparisonId}")).Forms["propose-form"]!,
                ("Data.From", "2025-01-01"), ("Data.To", "2025-12-31"), ("Data.Reason", "again"));
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            return (await Browser.DocumentAsync(refused)).QuerySelector("#propose-form div[role=alert]")!.TextContent;
        }
        Assert.Contains($"Correction run {own.Id} was already proposed from this comparison", await RefusedAsync(scenario.ComparisonId), StringComparison.Ordinal);
        Assert.Contains($"made by correction run {runId}", await RefusedAsync(run.ComparisonId!.Value), StringComparison.Ordinal);
        Assert.Equal(3, (await runs.ListAsync(CountryScope.All, 100)).Count);

        // Statements: one per affected member-year, totals = the sum of the lines' differences = the comparison's member totals.
        var statements = await runs.StatementsAsync(runId);
        Assert.Equal([(scenario.First, 2025), (scenario.Second, 2025)], statements.Select(s => (s.MemberId, s.Year)).Order().ToArray());
        var comparison = (await app.Services.GetRequiredService<ISimulationStore>().GetAsync(scenario.ComparisonId))!;
        foreach (var statement in statements)
        {
            var totals = comparison.Members.Single(m => m.MemberId == statement.MemberId && m.Year == statement.Year);
            Assert.Equal((totals.WithholdingApplied, totals.WithholdingDue, totals.LumpSumApplied, totals.LumpSumDue),
                (statement.WithholdingApplied, statement.WithholdingDue, statement.LumpSumApplied, statement.LumpSumDue));
            Assert.Equal(statement.Lines.Sum(l => l.WithholdingDifference), statement.WithholdingDifference);
            Assert.Equal(statement.MemberId == scenario.Second ? "nl" : "fr", statement.Language);
        }
        var first = statements.Single(s => s.MemberId == scenario.First);
        Assert.Equal([scenario.Crossing, scenario.InSecondBand], first.Lines.Select(l => l.InvoiceId).ToArray());
        Assert.Equal((1_609.50m, 1_586.25m, -23.25m, 155.00m), (first.WithholdingApplied, first.WithholdingDue, first.WithholdingDifference, first.LumpSumDifference));
        // Both sides' versions, with their publication, and the law the author-rights rule file cites.
        Assert.All(first.Lines, l => Assert.Contains(l.DueVersions, v => v.Id == "be/author-rights" && v.StoreVersion == scenario.Late.Number && v.Published is not null));
        Assert.All(first.Lines, l => Assert.Contains(l.AppliedVersions, v => v.Id == "be/author-rights" && v.StoreVersion < scenario.Late.Number));
        Assert.Contains(first.Citations, c => c.RuleSet == "be/author-rights" && c.Title.Contains("CIR 92", StringComparison.Ordinal));

        // The pages: the run lists the statements, the statement page and its PDF, the member's year links it; a French partner sees none of it.
        var details = await officer.GetPageAsync($"/Rules/Corrections/{runId}");
        Assert.Equal(-23.25m, Value(details, $"#statements tr[data-member='{scenario.First}'][data-year='2025'] [data-field=withholding-difference]"));
        var page = await officer.GetPageAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025");
        Assert.Equal(-23.25m, Value(page, "#totals [data-field=withholding-difference]"));
        Assert.Equal(-12.00m, Value(page, $"#lines tr[data-invoice='{scenario.Crossing}'] [data-field=withholding-difference]"));
        Assert.NotNull(page.QuerySelector("#citations li[data-rule-set='be/author-rights']"));
        foreach (var language in new[] { "fr", "nl", "en" })
        {
            var pdf = await officer.Client.GetAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025?handler=Pdf&language={language}");
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
            var bytes = await pdf.Content.ReadAsByteArrayAsync();
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
            if (language == "fr" && Environment.GetEnvironmentVariable("SMART_WRITE_EXAMPLES") == "1")
                await File.WriteAllBytesAsync(Path.Combine(Repo.Root, "docs", "examples", "regularisation-statement.pdf"), bytes);
        }
        using (var staff = await Browser.SignedInAsync(app, "staff@smart.coop"))
        {
            var year = await staff.GetPageAsync($"/Members/{scenario.First}/Year/2025");
            Assert.Equal($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025", year.QuerySelector($"#statements li[data-run='{runId}'] a")!.GetAttribute("href"));
            Assert.Equal(HttpStatusCode.OK, (await staff.Client.GetAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025")).StatusCode);
        }
        using (var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Corrections/{runId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/Rules/Corrections/{runId}/Statement/{scenario.First}/2025")).StatusCode);
        }

        // The invoice whose contribution changed: cancelled by a credit note, issued again with the contribution due now.
        var correction = Assert.Single(await runs.CorrectionsAsync(runId));
        Assert.Equal((scenario.Service, CorrectionStage.Done), (correction.InvoiceId, correction.Stage));
        var original = (await invoices.GetAsync(scenario.Service))!;
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, original.Status);
        Assert.Equal(correction.CreditNoteId, original.CreditedById);
        var replacement = (await invoices.GetAsync(correction.NewInvoiceId!.Value))!;
        Assert.Equal((InvoiceStatus.Paid, scenario.Service, original.Date), (replacement.Status, replacement.ReplacesId, replacement.Date));
        Assert.Equal("BE-2025-000005", replacement.Number);
        Assert.Equal(64.00m, replacement.Evaluation!.Contribution.Amount);
        Assert.NotEqual(original.Evaluation!.Contribution.Amount, replacement.Evaluation.Contribution.Amount);
        Assert.StartsWith("BE-CN-", correction.CreditNoteNumber, StringComparison.Ordinal);
        Assert.Equal(-original.Evaluation.Totals.Gross, (await invoices.GetAsync(correction.CreditNoteId!.Value))!.Evaluation!.Totals.Gross);

        // What the client paid moved with it: refunded from the original to pay the new invoice, which asks the same gross; nothing owed either way.
        Assert.Equal(original.Evaluation.Totals.Gross, replacement.Evaluation.Totals.Gross);
        var movedOut = Assert.Single(original.Refunds);
        var movedIn = Assert.Single(replacement.Payments);
        Assert.Equal((paid, $"moved to invoice BE-2025-000005 (correction run {runId})"), (movedOut.Amount, movedOut.Reference));
        Assert.Equal((paid, $"moved from invoice {original.Number} (correction run {runId})"), (movedIn.Amount, movedIn.Reference));
        Assert.Equal((0m, 0m, InvoiceStatus.Paid), (original.Overpaid, replacement.BalanceDue, replacement.Status));
        // The unit's ledger: the original's payment, taken back by its credit note, then the new invoice's payment: its share, with the contribution due now.
        var unitId = original.ProductionUnitId;
        var ledger = (await app.Services.GetRequiredService<Smart.Web.Budget.ILedgerStore>().EntriesAsync(unitId))
            .Where(e => e.SourceId == original.Id || e.SourceId == replacement.Id || e.SourceId == correction.CreditNoteId).ToList();
        Assert.Equal(Smart.Web.Budget.LedgerRules.UnitShare(replacement.Evaluation), ledger.Sum(e => e.Amount));
        Assert.Contains(ledger, e => e.SourceId == replacement.Id && e.Kind == Smart.Web.Budget.LedgerEntryKind.InvoicePayment);
    }

    [Fact]
    public async Task An_accepted_run_no_execution_holds_is_taken_up_by_the_running_app_without_a_restart()
    {
        using var app = SmartWebFactory.WithSettings(new Dictionary<string, string> { ["Smart:Corrections:OrphanScan"] = "00:00:01" });
        var scenario = await ScenarioAsync(app);
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var runId = await ProposeAsync(officer, scenario.ComparisonId);
        // Accepted in the store, as an instance that died between its acceptance and its job would leave it: nothing queued the job.
        var runs = app.Services.GetRequiredService<ICorrectionStore>();
        Assert.True(await runs.TryReviewAsync(runId, accept: true, "approver@smart.coop", DateTime.UtcNow, null));

        var progress = await FinishedAsync(officer, runId);
        Assert.Equal("Done", progress.GetProperty("status").GetString());
        Assert.Equal(2, (await runs.StatementsAsync(runId)).Count);
        Assert.Equal(CorrectionStage.Done, Assert.Single(await runs.CorrectionsAsync(runId)).Stage);
    }

    /// <summary>
    /// A paid invoice's money moves to its new invoice in two writes (a refund out of the original, a payment into the new one). Stopped between
    /// them, the run finishes the move after the restart, once: the client is neither asked to pay again nor owed what it paid.
    /// </summary>
    [Fact]
    public async Task A_run_stopped_between_moving_a_payment_out_and_in_moves_it_once_after_the_restart()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            Scenario scenario;
            decimal paid;
            int runId;
            // Effects: two statements, the credit note, the new invoice, the refund: the hook stops the job after it, before the payment.
            using (var before = SmartWebFactory.OnDataDirectory(data,
                       new Dictionary<string, string> { ["Smart:Corrections:StopAfterEffects"] = "5", ["Smart:Corrections:OrphanScan"] = "01:00:00" }))
            {
                scenario = await ScenarioAsync(before);
                var invoices = before.Services.GetRequiredService<IInvoiceStore>();
                paid = (await invoices.GetAsync(scenario.Service))!.BalanceDue;
                Assert.True((await invoices.RecordPaymentAsync(scenario.Service, new InvoicePayment(new DateOnly(2025, 7, 1), paid, "client transfer"), new AuditActor("test"))).Updated);
                runId = await AcceptedAsync(before, scenario);
                await UntilAsync(async () => (await invoices.GetAsync(scenario.Service))!.Refunds.Count > 0, "The run did not move the payment out of the invoice.");
                await Task.Delay(500);
                var replacement = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.All) { Country = "BE", Take = 1000 })).Rows.Single(i => i.ReplacesId == scenario.Service);
                Assert.Equal((InvoiceStatus.Issued, 0), (replacement.Status, replacement.Payments.Count));
            }

            using var after = SmartWebFactory.OnDataDirectory(data);
            var runs = after.Services.GetRequiredService<ICorrectionStore>();
            var run = await ResumedAsync(runs, runId);
            Assert.Equal(CorrectionStatus.Done, run.Status);
            var store = after.Services.GetRequiredService<IInvoiceStore>();
            var original = (await store.GetAsync(scenario.Service))!;
            var moved = (await store.GetAsync(Assert.Single(await runs.CorrectionsAsync(runId)).NewInvoiceId!.Value))!;
            Assert.Equal(paid, Assert.Single(original.Refunds).Amount);
            Assert.Equal(paid, Assert.Single(moved.Payments).Amount);
            Assert.Equal((0m, InvoiceStatus.Paid, 0m), (original.Overpaid, moved.Status, moved.BalanceDue));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task A_run_stopped_right_after_a_credit_note_and_restarted_makes_each_statement_and_corrective_pair_once_with_numbers_gap_free()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            Scenario scenario;
            int runId;
            // Stopped as an app stopping would: this app must not take its own stopped run up again (its scan for runs nobody holds waits an hour).
            using (var before = SmartWebFactory.OnDataDirectory(data,
                       new Dictionary<string, string> { ["Smart:Corrections:StopAfterEffects"] = "3", ["Smart:Corrections:OrphanScan"] = "01:00:00" }))
            {
                scenario = await ScenarioAsync(before);
                runId = await AcceptedAsync(before, scenario);
                // Two statements, then the credit note: the hook stops the job there, before the run records it and before the new invoice.
                var invoices = before.Services.GetRequiredService<IInvoiceStore>();
                await UntilAsync(async () => (await invoices.GetAsync(scenario.Service))!.CreditedById is not null, "The run did not credit the invoice.");
                await Task.Delay(500);
                var stopped = (await before.Services.GetRequiredService<ICorrectionStore>().GetAsync(runId))!;
                Assert.Equal(CorrectionStatus.Correcting, stopped.Status);
                Assert.Equal(0, stopped.Corrected);
                Assert.Equal(CorrectionStage.Crediting, (await before.Services.GetRequiredService<ICorrectionStore>().CorrectionAsync(runId, scenario.Service))!.Stage);
            }

            using var after = SmartWebFactory.OnDataDirectory(data);
            var runs = after.Services.GetRequiredService<ICorrectionStore>();
            var run = await ResumedAsync(runs, runId);
            Assert.Equal(CorrectionStatus.Done, run.Status);
            Assert.Equal(2, (await runs.StatementsAsync(runId)).Count);
            var correction = Assert.Single(await runs.CorrectionsAsync(runId));
            Assert.Equal(CorrectionStage.Done, correction.Stage);

            var all = (await after.Services.GetRequiredService<IInvoiceStore>().SearchAsync(new InvoiceQuery(CountryScope.All) { Country = "BE", Take = 1000 })).Rows;
            Assert.Single(all, i => i.CreditNoteForId == scenario.Service);
            Assert.Single(all, i => i.ReplacesId == scenario.Service);
            Assert.Equal(["BE-2025-000001", "BE-2025-000002", "BE-2025-000003", "BE-2025-000004", "BE-2025-000005"],
                all.Where(i => i.CreditNoteForId is null && i.Number is not null).Select(i => i.Number!).Order(StringComparer.Ordinal).ToArray());
            var creditNote = Assert.Single(all, i => i.CreditNoteForId is not null);
            Assert.EndsWith("-000001", creditNote.Number, StringComparison.Ordinal);
            Assert.Equal(creditNote.Number, correction.CreditNoteNumber);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }
}
