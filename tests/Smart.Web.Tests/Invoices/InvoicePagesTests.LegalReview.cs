using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Evaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Invoices;

/// <summary>
/// What the legal review of 2026-12 added to invoices in the intranet, on one app. The kind of work and the place of performance of a line:
/// entered on the form, stored with the line, read by the rules (before them every Dutch author-rights line entered in the intranet was
/// taxed at 21 %). The new outputs (Italy's stamp duty, the author rights above Belgium's 70/30 cap, the penalty cap of Book XIX) on the
/// invoice page and the printable invoice, only where the evaluation has them. A part of these tests, on their app: one more app alive
/// beside the others crowds the heap of a full run (SimulationTests measures it).
/// </summary>
public partial class InvoicePagesTests
{
    /// <summary>Saves a one-line draft through the create form: the line's kind of work and place as a person picks them.</summary>
    private async Task<(int Id, IHtmlDocument Page)> DraftAsync(Browser browser, string country, ClientKind kind, string category, string workKind, string performedIn = "")
    {
        var unit = await UnitAsync(country);
        var client = await ClientAsync(country, kind);
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var response = await browser.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15"),
            ("Data.Lines[0].Description", "The work"), ("Data.Lines[0].Category", category), ("Data.Lines[0].Quantity", "1"),
            ("Data.Lines[0].UnitPrice", "1000"), ("Data.Lines[0].WorkKind", workKind), ("Data.Lines[0].PerformedIn", performedIn));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture), await browser.FollowAsync(response));
    }

    private static (decimal Rate, string Treatment) LineOf(IHtmlDocument page)
    {
        var line = page.QuerySelector("#lines tr[data-line='0']")!;
        return (decimal.Parse(line.GetAttribute("data-rate")!, CultureInfo.InvariantCulture), line.GetAttribute("data-treatment")!);
    }

    [Fact]
    public async Task The_form_offers_every_kind_of_work_the_engine_knows()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var form = await staff.GetPageAsync($"/Invoices/Create?unit={(await UnitAsync("NL")).Id}");
        var offered = form.QuerySelectorAll("select[name='Data.Lines[0].WorkKind'] option").Select(o => o.GetAttribute("value")).Where(v => v != "").ToHashSet();
        Assert.True(WorkKinds.All.SetEquals(offered!), string.Join(", ", offered));
        Assert.NotNull(form.QuerySelector("input[name='Data.Lines[0].PerformedIn']"));
    }

    [Fact]
    public async Task A_Dutch_literary_author_rights_line_is_exempt_through_the_form()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var (id, page) = await DraftAsync(staff, "NL", ClientKind.Business, "author-rights", "literary");
        Assert.Equal((0m, "exempt"), LineOf(page));
        Assert.Equal("literary", page.QuerySelector("#lines tr[data-line='0'] [data-field='work-kind']")!.GetAttribute("data-work-kind"));
        var stored = (await Invoices.GetAsync(id))!;
        Assert.Equal("literary", stored.Lines[0].WorkKind);
        Assert.Equal("author-copyright-services-exempt", stored.Evaluation!.Lines[0].Rule);
        Assert.Equal("literary", (await staff.GetPageAsync($"/Invoices/Edit/{id}")).QuerySelector("select[name='Data.Lines[0].WorkKind'] option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_Dutch_visual_author_rights_line_bears_the_standard_rate()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var (_, page) = await DraftAsync(staff, "NL", ClientKind.Business, "author-rights", "visual");
        Assert.Equal((Parameter("nl", "vat", "StandardRate"), "standard"), LineOf(page));
    }

    [Fact]
    public async Task A_Belgian_software_author_rights_line_bears_the_standard_rate_and_a_literary_one_the_reduced_rate()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var (_, software) = await DraftAsync(staff, "BE", ClientKind.Business, "author-rights", "software");
        Assert.Equal((Parameter("be", "vat", "StandardRate"), "standard"), LineOf(software));
        var (_, literary) = await DraftAsync(staff, "BE", ClientKind.Business, "author-rights", "literary");
        Assert.Equal((Parameter("be", "vat", "CopyrightAndPerformanceRate"), "reduced"), LineOf(literary));
    }

    [Fact]
    public async Task A_kind_of_work_left_on_a_line_of_another_category_is_not_kept()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var (id, _) = await DraftAsync(staff, "NL", ClientKind.Business, "service", "literary");
        Assert.Null((await Invoices.GetAsync(id))!.Lines[0].WorkKind);
    }

    [Fact]
    public async Task A_performance_given_abroad_to_a_private_client_is_outside_the_country_VAT()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var (id, page) = await DraftAsync(staff, "BE", ClientKind.Individual, "artistic-performance", "", "fr");
        Assert.Equal((0m, "out-of-scope"), LineOf(page));
        Assert.Equal("FR", (await Invoices.GetAsync(id))!.Lines[0].PerformedIn);
        var (_, home) = await DraftAsync(staff, "BE", ClientKind.Individual, "artistic-performance", "");
        Assert.NotEqual("out-of-scope", LineOf(home).Treatment);
    }

    [Fact]
    public async Task A_place_of_performance_that_is_no_country_code_is_refused_on_its_field()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var unit = await UnitAsync("BE");
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var response = await staff.SubmitAsync(form, ("Data.ClientId", (await ClientAsync("BE", ClientKind.Individual)).Id.ToString(CultureInfo.InvariantCulture)),
            ("Data.Date", "2026-03-15"), ("Data.Lines[0].Description", "Concert"), ("Data.Lines[0].Category", "artistic-performance"),
            ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", "500"), ("Data.Lines[0].PerformedIn", "F1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-valmsg-for='Data.Lines[0].PerformedIn']")!.TextContent));
    }

    private static decimal Number(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    private async Task<Invoice> InvoiceAsync(Browser browser, string country, ClientKind kind, params (string Category, string UnitPrice)[] lines)
    {
        var unit = await UnitAsync(country);
        var client = await ClientAsync(country, kind);
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var values = new List<(string, string)> { ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15") };
        for (var i = 0; i < lines.Length; i++)
            values.AddRange([($"Data.Lines[{i}].Description", "Work"), ($"Data.Lines[{i}].Category", lines[i].Category), ($"Data.Lines[{i}].Quantity", "1"),
                ($"Data.Lines[{i}].UnitPrice", lines[i].UnitPrice)]);
        var response = await browser.SubmitAsync(form, [.. values]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (await Invoices.GetAsync(int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture)))!;
    }

    private static async Task<(IHtmlDocument Details, IHtmlDocument Print)> PagesAsync(Browser browser, Invoice invoice) =>
        (await browser.GetPageAsync($"/Invoices/Details/{invoice.Id}"), await browser.GetPageAsync($"/Invoices/Print/{invoice.Id}"));

    [Fact]
    public async Task An_Italian_invoice_above_the_threshold_shows_the_two_euro_stamp_duty_with_its_annotation()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var invoice = await InvoiceAsync(staff, "IT", ClientKind.Business, ("author-rights", "1000"));
        Assert.Equal(2m, invoice.Evaluation!.StampDuty!.Amount);
        var (details, print) = await PagesAsync(staff, invoice);

        var stamp = details.QuerySelector("#stamp-duty")!;
        Assert.Equal(2m, Number(stamp.GetAttribute("data-amount")));
        Assert.StartsWith("Imposta di bollo", stamp.QuerySelector("[data-field='annotation']")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(2m, Number(print.QuerySelector("#stamp-duty")!.GetAttribute("data-amount")));
        Assert.Contains(print.QuerySelectorAll("#mentions li"), li => li.TextContent.StartsWith("Imposta di bollo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Belgian_invoice_shows_the_author_rights_above_the_share_cap_and_a_consumers_penalty_cap()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        // 2,100 of fee on the invoice itself allows 900 of author rights at most: the rest of 3,000 is professional income.
        var invoice = await InvoiceAsync(staff, "BE", ClientKind.Individual, ("service", "2100"), ("author-rights", "3000"));
        var above = invoice.Evaluation!.AuthorRights!.AboveShareCap;
        Assert.True(above >= 2_100m, $"above the cap: {above}");
        var cap = invoice.Evaluation.LatePayment!.PenaltyCap!.Value;
        var (details, print) = await PagesAsync(staff, invoice);

        Assert.Equal(above, Number(details.QuerySelector("#author-rights-above-share-cap")!.GetAttribute("data-amount")));
        Assert.Equal(cap, Number(details.QuerySelector("#penalty-cap")!.GetAttribute("data-amount")));
        Assert.Equal(cap, Number(print.QuerySelector("#penalty-cap")!.GetAttribute("data-amount")));
        Assert.Null(details.QuerySelector("#stamp-duty"));
    }

    [Fact]
    public async Task A_business_service_invoice_shows_none_of_them()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var invoice = await InvoiceAsync(staff, "BE", ClientKind.Business, ("service", "500"));
        var (details, print) = await PagesAsync(staff, invoice);
        foreach (var page in new[] { details, print })
            Assert.Empty(page.QuerySelectorAll("#stamp-duty, #penalty-cap, #author-rights-above-share-cap"));
    }

    [Fact]
    public async Task The_new_texts_read_in_French_and_Dutch()
    {
        using var staff = await Browser.SignedInAsync(App, "staff@smart.coop");
        var invoice = await InvoiceAsync(staff, "IT", ClientKind.Business, ("author-rights", "1000"));
        foreach (var (culture, expected) in new[] { ("fr-BE", "Droit de timbre"), ("nl-BE", "Zegelrecht") })
        {
            staff.Client.DefaultRequestHeaders.AcceptLanguage.Clear();
            staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
            var (details, print) = await PagesAsync(staff, invoice);
            Assert.Contains(expected, details.Body!.TextContent, StringComparison.Ordinal);
            Assert.Contains(expected, print.Body!.TextContent, StringComparison.Ordinal);
        }
    }
}
