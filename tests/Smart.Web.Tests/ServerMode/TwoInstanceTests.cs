using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Hosting;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.RuleSets;
using Smart.Web.Tests.Storage;

namespace Smart.Web.Tests.ServerMode;

/// <summary>Two instances of the intranet on one PostgreSQL database, as behind a load balancer: what one does, the other sees.</summary>
[Trait("Store", "Chosen")]
public sealed class TwoInstanceTests : IDisposable
{
    private readonly string database = PostgreSqlServer.NewDatabase();
    private readonly SmartWebFactory first;
    private readonly SmartWebFactory second;

    public TwoInstanceTests()
    {
        first = SmartWebFactory.OnPostgreSql(database);
        // One after the other, as a rolling start: the second finds the schema, the seeds and the key ring the first made.
        _ = first.Server;
        second = SmartWebFactory.OnPostgreSql(database);
        _ = second.Server;
    }

    public void Dispose()
    {
        second.Dispose();
        first.Dispose();
    }

    [Fact]
    public async Task A_sign_in_cookie_from_one_instance_opens_pages_on_the_other()
    {
        using var browser = Browser.Open(first);
        var signIn = await browser.SignInAsync("staff@smart.coop", AccountDemoSeed.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookies = signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();

        using var other = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/Members");
        signedIn.Headers.Add("Cookie", string.Join("; ", cookies));
        var page = await other.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        // Without the cookie the same page sends to the sign-in: the cookie, not the page, let the request in.
        var anonymous = await other.GetAsync("/Members");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_rule_set_published_on_one_instance_is_in_force_on_the_other_within_seconds()
    {
        const string key = "be/vat.json";
        var store = first.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.InForceAsync(key))!;
        var draft = await store.AddDraftAsync(key, inForce.Country, inForce.Topic, inForce.Text.Replace("\"version\": \"2026.4\"", "\"version\": \"2026.4-two\""),
            inForce.Id, new AuditActor("compliance@smart.coop"));
        Assert.True((await store.SubmitAsync(draft.Id, "two instances", new AuditActor("compliance@smart.coop"))).Updated);
        var books = second.Services.GetRequiredService<RuleBookInForce>();
        Assert.NotEqual(draft.Number, PublishedNumber(books));

        // Published through the first instance's store only: nothing calls the second instance.
        Assert.True((await store.PublishAsync(draft.Id, null, new AuditActor("approver@smart.coop"))).Updated);
        var clock = Stopwatch.StartNew();
        while (PublishedNumber(books) != draft.Number && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);

        Assert.Equal(draft.Number, PublishedNumber(books));
        Assert.Equal("2026.4-two", books.Book.RuleSets.Single(r => r.Publication?.StoreVersion == draft.Number).Version);

        int? PublishedNumber(RuleBookInForce rules) =>
            rules.Book.RuleSets.Where(r => r.File.Country == "BE" && r.Topic == "vat").Max(r => r.Publication?.StoreVersion);
    }

    [Fact]
    public async Task An_API_key_revoked_on_one_instance_stops_working_on_the_other_within_seconds()
    {
        var key = await first.IssueKeyAsync("Partner portal", countries: null);
        using var onSecond = second.ClientWithKey(key);
        // The second instance keeps the key in memory once it listens for the others' changes; from then on it must still not answer
        // from memory once the key is revoked.
        var kept = second.Services.GetRequiredService<PostgreSqlApiKeyStore>();
        var hash = ApiKey.HashOf(key);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusOnSecond());
            if (kept.Keeps(hash) || clock.Elapsed > TimeSpan.FromSeconds(10)) break;
            await Task.Delay(50);
        }
        Assert.True(kept.Keeps(hash));

        var keys = first.Services.GetRequiredService<IApiKeyStore>();
        var issued = (await keys.ListAsync()).Single(k => k.KeyHash == hash);
        await keys.RevokeAsync(issued.Id);

        // Revoked through the first instance's store only: the second hears it from the database.
        clock.Restart();
        var status = await StatusOnSecond();
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            status = await StatusOnSecond();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        async Task<HttpStatusCode> StatusOnSecond() => (await onSecond.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice)).StatusCode;
    }

    [Fact]
    public async Task Health_reports_the_database_to_anyone_and_nothing_more()
    {
        using var anonymous = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync(StorageHealth.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("""{"status":"Healthy","checks":{"database":"Healthy"}}""", body);
    }

    [Fact]
    public async Task A_member_added_on_one_instance_is_counted_on_the_other_within_seconds()
    {
        using var staff = await Browser.SignedInAsync(second, "staff@smart.coop");
        var kept = second.Services.GetRequiredService<PostgreSqlCounts>();
        // The second instance keeps the count once it listens for the others' changes; from then on a change must still reach it.
        var before = await BelgianMembersAsync();
        var clock = Stopwatch.StartNew();
        while (!kept.Keeps("members") && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            Assert.Equal(before, await BelgianMembersAsync());
        }
        Assert.True(kept.Keeps("members"));

        // Added through the first instance's store only: the second hears it from the table's trigger.
        var members = first.Services.GetRequiredService<IMemberStore>();
        var model = (await members.SearchAsync(new MemberQuery(CountryScope.Only("BE")) { Take = 1 })).Rows.Single();
        await members.AddAsync(model with { Id = 0, Version = 0, NationalNumber = null, Email = "counted.elsewhere@example.org" }, AuditActor.System("test"));

        clock.Restart();
        var after = await BelgianMembersAsync();
        while (after == before && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            after = await BelgianMembersAsync();
        }
        Assert.Equal(before + 1, after);

        async Task<int> BelgianMembersAsync() => TotalOf(await staff.GetPageAsync("/Members?Country=BE"));
    }

    [Fact]
    public async Task Whoever_adds_a_member_sees_it_counted_on_the_page_they_are_sent_to()
    {
        using var staff = await Browser.SignedInAsync(first, "staff@smart.coop");
        var kept = first.Services.GetRequiredService<PostgreSqlCounts>();
        var before = await TotalAsync();
        var clock = Stopwatch.StartNew();
        while (!kept.Keeps("members") && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            before = await TotalAsync();
        }
        Assert.True(kept.Keeps("members"));

        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;
        var saved = await staff.SubmitAsync(form,
        [
            ("Data.FirstName", "Nora"), ("Data.LastName", "Counted"), ("Data.Email", "nora.counted@example.org"), ("Data.Country", "BE"),
            ("Data.NationalNumber", "85073099734"), ("Data.BirthDate", "1985-07-30"), ("Data.MemberSince", "2024-03-01"),
            ("Data.Sector", MemberSectors.Music), ("Data.Office", "Brussels"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // At once, without waiting for the table's notification.
        Assert.Equal(before + 1, await TotalAsync());

        async Task<int> TotalAsync() => TotalOf(await staff.GetPageAsync("/Members"));
    }

    /// <summary>The member list's "1,234 members", as a number.</summary>
    private static int TotalOf(AngleSharp.Html.Dom.IHtmlDocument page) =>
        int.Parse(new string(page.QuerySelector("#total")!.TextContent.Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
}
