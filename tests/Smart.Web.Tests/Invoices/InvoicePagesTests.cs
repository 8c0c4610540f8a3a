using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

public partial class InvoicePagesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();
    private SmartWebFactory App => app;

    /// <summary>A parameter's value in force on a day, read from the rule file itself, so no rate is written twice.</summary>
    private static decimal Parameter(string country, string topic, string name, string day = "2026-03-15")
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", country, topic + ".json")));
        return file.RootElement.GetProperty("parameters").GetProperty(name).GetProperty("values").EnumerateArray()
            .Where(v => string.CompareOrdinal(v.GetProperty("from").GetString(), day) <= 0)
            .OrderBy(v => v.GetProperty("from").GetString(), StringComparer.Ordinal).Last().GetProperty("value").GetDecimal();
    }

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private async Task<ProductionUnit> UnitAsync(string country)
    {
        var units = app.Services.GetRequiredService<IProductionUnitStore>();
        return (await units.SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
    }

    private async Task<Client> ClientAsync(string country, ClientKind kind)
    {
        var clients = app.Services.GetRequiredService<IClientStore>();
        return (await clients.SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = kind, Take = 1 })).Rows[0];
    }

    private static int IdOf(HttpResponseMessage redirect) =>
        int.Parse(redirect.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);

    /// <summary>Fills the create form of a unit as a person would and saves the draft; lines are (description, category, quantity, unit price).</summary>
    private static async Task<HttpResponseMessage> SaveDraftAsync(Browser browser, ProductionUnit unit, Client client, string? issuer, string date,
        params (string Description, string Category, string Quantity, string UnitPrice)[] lines)
    {
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var values = new List<(string, string)> { ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", date), ("Data.DueDate", "") };
        if (issuer is not null) values.Add(("Data.Issuer", issuer));
        for (var i = 0; i < lines.Length; i++)
            values.AddRange([($"Data.Lines[{i}].Description", lines[i].Description), ($"Data.Lines[{i}].Category", lines[i].Category),
                ($"Data.Lines[{i}].Quantity", lines[i].Quantity), ($"Data.Lines[{i}].UnitPrice", lines[i].UnitPrice)]);
        return await browser.SubmitAsync(form, [.. values]);
    }

    private static async Task<(int Id, IHtmlDocument Page)> CreateDraftAsync(Browser browser, ProductionUnit unit, Client client, string? issuer, string date,
        params (string, string, string, string)[] lines)
    {
        var response = await SaveDraftAsync(browser, unit, client, issuer, date, lines);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (IdOf(response), await browser.FollowAsync(response));
    }

    private static async Task<HttpResponseMessage> IssueAsync(Browser browser, int id) =>
        await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!);

    [Fact]
    public async Task Training_from_the_recognised_training_body_is_exempt_with_the_article_44_mention()
    {
        var unit = await UnitAsync("BE");
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}");
        Assert.Contains("Formateurs Associés", form.QuerySelector("#training-body-proposal")!.TextContent);

        var (id, page) = await CreateDraftAsync(staff, unit, await ClientAsync("BE", ClientKind.Business), "formateurs-associes", "2026-03-15",
            ("Workshop", "training", "2", "450"));
        var line = page.QuerySelector("#lines tr[data-line='0']")!;
        Assert.Equal("exempt", line.GetAttribute("data-treatment"));
        Assert.Equal(0m, decimal.Parse(line.GetAttribute("data-rate")!, CultureInfo.InvariantCulture));
        Assert.Contains("article 44", line.QuerySelector("[data-field='mention']")!.TextContent);
        Assert.Contains("article 44", page.QuerySelector("#mentions")!.TextContent);
        var totals = page.QuerySelector("#totals")!;
        Assert.Equal(900m, decimal.Parse(totals.GetAttribute("data-gross")!, CultureInfo.InvariantCulture));
        Assert.Equal(Round(900m * Parameter("be", "contribution", "InvoicingContributionRate")),
            decimal.Parse(page.QuerySelector("#contribution")!.GetAttribute("data-amount")!, CultureInfo.InvariantCulture));

        var stored = (await Invoices.GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Draft, stored.Status);
        Assert.Null(stored.Number);
        Assert.Contains(stored.Evaluation!.Rulesets, r => r.Id == "be/vat");
        Assert.NotEmpty(stored.Evaluation.Trace);
    }

    [Fact]
    public async Task Editing_a_training_draft_of_the_cooperative_proposes_the_training_body()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (id, _) = await CreateDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), "smartcoop", "2026-03-15",
            ("Workshop", "training", "1", "300"));
        var edit = await staff.GetPageAsync($"/Invoices/Edit/{id}");
        Assert.Equal("formateurs-associes", edit.QuerySelector("#training-body-proposal")!.GetAttribute("data-proposed"));
    }

    [Fact]
    public async Task An_author_rights_line_is_at_the_reduced_rate_and_explained_with_its_source()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (id, page) = await CreateDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), null, "2026-03-15",
            ("Design", "service", "2", "450"), ("Illustration rights", "author-rights", "1", "1000"));
        var reduced = Parameter("be", "vat", "CopyrightAndPerformanceRate");
        var standard = Parameter("be", "vat", "StandardRate");
        var rights = page.QuerySelector("#lines tr[data-line='1']")!;
        Assert.Equal(reduced, decimal.Parse(rights.GetAttribute("data-rate")!, CultureInfo.InvariantCulture));
        Assert.Equal(Round(900m * standard) + Round(1000m * reduced),
            decimal.Parse(page.QuerySelector("#totals")!.GetAttribute("data-vat")!, CultureInfo.InvariantCulture));
        Assert.Equal(2, page.QuerySelectorAll("#vat-breakdown tbody tr").Length);
        Assert.NotNull(page.QuerySelector("#author-rights"));

        var explain = await staff.GetPageAsync(rights.QuerySelector("a[data-explain]")!.GetAttribute("href")!);
        Assert.Contains($"/Invoices/Explain/{id}?line=1", rights.QuerySelector("a[data-explain]")!.GetAttribute("href")!);
        var step = explain.QuerySelector(".explain-step[data-rule='author-rights-concession-reduced-rate']")!;
        Assert.Equal("be/vat", step.GetAttribute("data-ruleset"));
        Assert.False(string.IsNullOrEmpty(step.GetAttribute("data-version")));
        Assert.StartsWith("be/vat ", step.QuerySelector(".ruleset-link")!.TextContent.Trim());
        var parameter = step.QuerySelector("tr[data-name='CopyrightAndPerformanceRate']")!;
        Assert.Equal(reduced, decimal.Parse(parameter.GetAttribute("data-value")!, CultureInfo.InvariantCulture));
        Assert.Contains("AR n°20", parameter.QuerySelector(".parameter-source")!.TextContent);
    }

    [Theory]
    [InlineData("FR", "fr", "EUR")]
    [InlineData("IT", "it", "EUR")]
    [InlineData("SE", "se", "SEK")]
    public async Task A_domestic_service_invoice_is_taxed_at_the_country_standard_rate(string country, string rules, string currency)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (id, page) = await CreateDraftAsync(staff, await UnitAsync(country), await ClientAsync(country, ClientKind.Individual), null, "2026-03-15",
            ("Design work", "service", "3", "120"));
        var rate = Parameter(rules, "vat", "StandardRate");
        var totals = page.QuerySelector("#totals")!;
        Assert.Equal(currency, totals.GetAttribute("data-currency"));
        Assert.Equal(360m, decimal.Parse(totals.GetAttribute("data-net")!, CultureInfo.InvariantCulture));
        Assert.Equal(Round(360m * rate), decimal.Parse(totals.GetAttribute("data-vat")!, CultureInfo.InvariantCulture));
        Assert.Equal("standard", page.QuerySelector("#lines tr[data-line='0']")!.GetAttribute("data-treatment"));
        Assert.Equal(currency, (await Invoices.GetAsync(id))!.Evaluation!.Currency);
    }

    [Fact]
    public async Task Evaluation_errors_come_back_on_the_line_field_and_nothing_is_stored()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var before = (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total;
        var response = await SaveDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), null, "2026-03-15",
            ("Fine", "service", "1", "100"), ("Odd", "", "1", "100"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-valmsg-for='Data.Lines[1].Category']")!.TextContent));
        Assert.Equal(before, (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total);
    }

    [Theory]
    [InlineData("100000000000000000000", "10000000000000", "Quantity")]
    [InlineData("1", "79000000000000000000000000000", "UnitPrice")]
    public async Task Amounts_beyond_decimal_arithmetic_come_back_on_their_field_not_as_a_500(string quantity, string unitPrice, string field)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var before = (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total;

        var response = await SaveDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), null, "2026-03-15",
            ("Huge", "service", quantity, unitPrice));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector($"[data-valmsg-for='Data.Lines[0].{field}']")!.TextContent));
        Assert.Equal(before, (await Invoices.SearchAsync(new InvoiceQuery(CountryScope.All))).Total);
    }

    [Fact]
    public async Task Issuing_numbers_invoices_in_sequence_and_freezes_them()
    {
        // 2025 is this test's own year, so the sequence starts at one whatever the other tests issue.
        var unit = await UnitAsync("BE");
        var client = await ClientAsync("BE", ClientKind.Business);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (first, _) = await CreateDraftAsync(staff, unit, client, null, "2025-06-02", ("Design", "service", "1", "100"));
        var (second, _) = await CreateDraftAsync(staff, unit, client, null, "2025-06-03", ("Design", "service", "1", "200"));

        var issued = await staff.FollowAsync(await IssueAsync(staff, first));
        Assert.Equal("BE-2025-000001", issued.QuerySelector("[data-field='number']")!.TextContent.Trim());
        Assert.Null(issued.QuerySelector("#issue-form"));
        await IssueAsync(staff, second);
        Assert.Equal("BE-2025-000002", (await Invoices.GetAsync(second))!.Number);

        var edit = await staff.Client.GetAsync($"/Invoices/Edit/{first}");
        Assert.Equal(HttpStatusCode.Conflict, edit.StatusCode);
        Assert.Contains("BE-2025-000001", (await Browser.DocumentAsync(edit)).QuerySelector("#refusal")!.TextContent);

        // A form opened before the issue is refused too, and the invoice keeps its lines.
        var (draft, _) = await CreateDraftAsync(staff, unit, client, null, "2025-06-04", ("Design", "service", "1", "300"));
        var staleForm = (await staff.GetPageAsync($"/Invoices/Edit/{draft}")).Forms["invoice-form"]!;
        await IssueAsync(staff, draft);
        var refused = await staff.SubmitAsync(staleForm, ("Data.Lines[0].UnitPrice", "1"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(300m, (await Invoices.GetAsync(draft))!.Lines[0].UnitPrice);
        Assert.Equal("BE-2025-000003", (await Invoices.GetAsync(draft))!.Number);
    }

    [Fact]
    public async Task The_list_filters_by_country_and_status_and_exports_the_same_rows()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (id, _) = await CreateDraftAsync(staff, await UnitAsync("IT"), await ClientAsync("IT", ClientKind.Individual), null, "2026-04-01",
            ("Concert", "service", "1", "500"));
        var list = await staff.GetPageAsync("/Invoices?Country=IT&Status=Draft&From=2026-04-01&To=2026-04-01");
        var rows = list.QuerySelectorAll("#invoices tbody tr");
        Assert.Contains(rows, r => r.GetAttribute("data-invoice") == id.ToString(CultureInfo.InvariantCulture));
        Assert.All(rows, r => Assert.Equal(("IT", "Draft"), (r.GetAttribute("data-country"), r.GetAttribute("data-status"))));

        var csv = await staff.Client.GetStringAsync(list.QuerySelector("#export")!.GetAttribute("href")!);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Id,Number,Country,Date", lines[0]);
        Assert.Equal(rows.Length, lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith(id.ToString(CultureInfo.InvariantCulture) + ",,IT,2026-04-01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_partner_administrator_of_France_gets_404_on_a_Belgian_invoice_and_403_when_asking_for_Belgium()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (id, _) = await CreateDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), null, "2026-03-15",
            ("Design", "service", "1", "100"));
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        foreach (var url in new[] { $"/Invoices/Details/{id}", $"/Invoices/Edit/{id}", $"/Invoices/Explain/{id}?line=0", $"/Invoices/Create?unit={(await UnitAsync("BE")).Id}" })
            Assert.True((await partner.Client.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, url);
        foreach (var url in new[] { "/Invoices?Country=BE", "/Invoices/Export?Country=BE" })
            Assert.True((await partner.Client.GetAsync(url)).StatusCode == HttpStatusCode.Forbidden, url);

        // Posting the issue of a Belgian invoice from a French page is a 404, and the invoice stays a draft.
        var (french, _) = await CreateDraftAsync(staff, await UnitAsync("FR"), await ClientAsync("FR", ClientKind.Individual), null, "2026-03-15",
            ("Design", "service", "1", "100"));
        var form = (await partner.GetPageAsync($"/Invoices/Details/{french}")).Forms["issue-form"]!;
        form.Action = $"/Invoices/Details/{id}?handler=Issue";
        Assert.Equal(HttpStatusCode.NotFound, (await partner.SubmitAsync(form)).StatusCode);
        Assert.Equal(InvoiceStatus.Draft, (await Invoices.GetAsync(id))!.Status);
    }

    [Theory]
    [InlineData("compliance@smart.coop")]
    [InlineData("approver@smart.coop")]
    public async Task Roles_that_do_not_work_on_invoices_get_403_on_every_invoice_page(string email)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var (id, _) = await CreateDraftAsync(staff, await UnitAsync("BE"), await ClientAsync("BE", ClientKind.Business), null, "2026-03-15",
            ("Design", "service", "1", "100"));
        using var browser = await Browser.SignedInAsync(app, email);
        foreach (var url in new[] { "/Invoices", $"/Invoices/Details/{id}", "/Invoices/Create", $"/Invoices/Edit/{id}", $"/Invoices/Explain/{id}?line=0", "/Invoices/Export" })
            Assert.True((await browser.Client.GetAsync(url)).StatusCode == HttpStatusCode.Forbidden, url);
    }

    [Fact]
    public async Task In_French_the_invoice_its_form_and_its_errors_are_French()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-BE");
        var unit = await UnitAsync("BE");
        var client = await ClientAsync("BE", ClientKind.Business);
        var (_, page) = await CreateDraftAsync(staff, unit, client, null, "2026-03-15", ("Conception", "service", "2", "1000"));
        Assert.Equal("Brouillon de facture", page.QuerySelector("#invoice-title")!.TextContent.Trim());
        Assert.Contains("2.000,00", page.QuerySelector("#totals")!.TextContent);

        var form = await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}");
        Assert.Equal("Entité émettrice", form.QuerySelector("label[for='Data_Issuer']")!.TextContent.Trim());
        var refused = await Browser.DocumentAsync(await staff.SubmitAsync(form.Forms["invoice-form"]!, ("Data.ClientId", ""), ("Data.Lines[0].Description", "x"), ("Data.Lines[0].Category", "service")));
        Assert.Equal("Choisissez un client.", refused.QuerySelector("[data-valmsg-for='Data.ClientId']")!.TextContent.Trim());
    }
}
