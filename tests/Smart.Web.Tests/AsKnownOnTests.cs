using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Hosting;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;
using Smart.Web.Tests.Rules;

namespace Smart.Web.Tests;

/// <summary>
/// Two dates on an evaluation: the document's date picks the law, <c>asKnownOn</c> picks which published versions of it are used. A value
/// published late (a rate for December published after invoices of December were evaluated) changes the answer only as known after it.
/// </summary>
public class AsKnownOnTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private const string Key = "be/contribution.json";
    private static readonly string DecemberInvoice = Documents.DomesticServiceInvoice("BE").Replace("2026-03-15", "2026-12-15", StringComparison.Ordinal);

    private async Task<JsonElement> EvaluateAsync(string? asKnownOn = null) =>
        await (await app.DemoPartner().PostJsonAsync(Http.InvoicePath + (asKnownOn is null ? "" : $"?asKnownOn={Uri.EscapeDataString(asKnownOn)}"), DecemberInvoice))
            .AssertOkAsync();

    private static JsonElement Contribution(JsonElement evaluation) =>
        evaluation.GetProperty("rulesets").EnumerateArray().Single(r => r.GetProperty("id").GetString()!.Contains("contribution", StringComparison.Ordinal));

    [Fact]
    public async Task A_late_publication_changes_the_answer_as_known_after_it_and_not_as_known_before()
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.InForceAsync(Key))!;
        var first = await EvaluateAsync();
        var knownBefore = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        var draft = await store.AddDraftAsync(Key, "BE", "contribution", PublicationTests.WithRateFrom(inForce.Text, "2026-12-01", 0.07m), inForce.Id,
            new AuditActor("compliance@smart.coop"));
        await store.SubmitAsync(draft.Id, "December rate, published late", new AuditActor("compliance@smart.coop"));
        var published = (await store.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"))).Current!;
        app.Services.GetRequiredService<RuleBookInForce>().Reload();

        var now = await EvaluateAsync();
        var before = await EvaluateAsync(knownBefore.ToString("O", CultureInfo.InvariantCulture));

        Assert.Equal(0.065m, first.GetProperty("contribution").GetProperty("rate").GetDecimal());
        Assert.Equal(0.07m, now.GetProperty("contribution").GetProperty("rate").GetDecimal());
        Assert.Equal(0.065m, before.GetProperty("contribution").GetProperty("rate").GetDecimal());
        // Each answer names the versions it used and the knowledge date, beside the document's date.
        Assert.Equal(published.Number, Contribution(now).GetProperty("storeVersion").GetInt32());
        Assert.Equal(inForce.Number, Contribution(before).GetProperty("storeVersion").GetInt32());
        Assert.True(Contribution(before).GetProperty("published").GetDateTime() <= knownBefore.UtcDateTime);
        Assert.Equal(knownBefore, before.GetProperty("asKnownOn").GetDateTimeOffset());
        Assert.True(now.GetProperty("asKnownOn").GetDateTimeOffset() >= published.PublishedAtUtc);
        Assert.Equal("2026-12-15", before.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_stored_evaluation_records_both_its_document_date_and_its_knowledge_date()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var ledgers = new Budget.LedgerPages(app);
        var from = DateTimeOffset.UtcNow;
        var invoice = await ledgers.IssuedInvoiceAsync(staff, await ledgers.NewUnitAsync("BE", 0m), "2026-03-20", "2026-04-19", "1", "100");
        var evaluation = invoice.Evaluation!;
        Assert.Equal(new DateOnly(2026, 3, 20), evaluation.Date);
        Assert.InRange(evaluation.AsKnownOn!.Value, from, DateTimeOffset.UtcNow);
        Assert.All(evaluation.Rulesets, r => Assert.True(r.StoreVersion >= 1 && r.Published <= evaluation.AsKnownOn.Value.UtcDateTime, r.Id));
    }

    [Fact]
    public async Task Before_anything_was_published_no_rule_set_covers_the_document()
    {
        var seeded = (await app.Services.GetRequiredService<IRuleSetStore>().InForceAsync(Key))!.PublishedAtUtc!.Value;
        var dayBefore = DateOnly.FromDateTime(seeded).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var response = await app.DemoPartner().PostJsonAsync($"{Http.InvoicePath}?asKnownOn={dayBefore}", DecemberInvoice);
        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("2999-01-01")]
    public async Task A_knowledge_date_that_is_not_one_or_is_in_the_future_is_refused_naming_the_field(string asKnownOn)
    {
        var problem = await (await app.DemoPartner().PostJsonAsync($"{Http.InvoicePath}?asKnownOn={asKnownOn}", DecemberInvoice))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["asKnownOn"], problem.ErrorFields());
    }

    [Fact]
    public async Task Reloading_with_nothing_newly_published_keeps_the_book_in_force_and_a_publication_replaces_it()
    {
        using var own = new SmartWebFactory();
        var rules = own.Services.GetRequiredService<RuleBookInForce>();
        var book = rules.Book;
        var evaluator = rules.Evaluator;
        // The publishing instance reloads, then hears its own publication: the second reload builds nothing.
        Assert.Same(book, rules.Reload());
        Assert.Same(evaluator, rules.Evaluator);

        var store = own.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.InForceAsync(Key))!;
        var draft = await store.AddDraftAsync(Key, "BE", "contribution", PublicationTests.WithRateFrom(inForce.Text, "2026-12-01", 0.07m), inForce.Id,
            new AuditActor("compliance@smart.coop"));
        await store.SubmitAsync(draft.Id, "December rate", new AuditActor("compliance@smart.coop"));
        Assert.True((await store.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"))).Updated);

        var reloaded = rules.Reload();
        Assert.NotSame(book, reloaded);
        Assert.Same(reloaded, rules.Book);
        Assert.Same(reloaded, rules.Reload());
    }
}
