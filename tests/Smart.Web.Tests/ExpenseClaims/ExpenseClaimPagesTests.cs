using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.ExpenseClaims;

public class ExpenseClaimPagesTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IProductionUnitStore Units => app.Services.GetRequiredService<IProductionUnitStore>();
    private IMemberStore Members => app.Services.GetRequiredService<IMemberStore>();
    private IExpenseClaimStore Claims => app.Services.GetRequiredService<IExpenseClaimStore>();

    private static readonly byte[] Pdf = [.. "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];

    /// <summary>A fresh unit with a known budget, so tests sharing the app never spend each other's budget.</summary>
    private async Task<ProductionUnit> NewUnitAsync(string country, decimal budget)
    {
        var owner = (await Members.SearchAsync(new MemberQuery(CountryScope.Only(country)) { Take = 1 })).Rows[0];
        return await Units.AddAsync(new ProductionUnit
        {
            Country = country, Name = $"Expense test {country} {Guid.NewGuid():N}", MemberId = owner.Id, Sector = owner.Sector,
            OpeningBalance = budget, Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
    }

    /// <summary>The value of a parameter of the Belgian expenses file in force on <paramref name="day"/>, read from the file itself.</summary>
    private static decimal Parameter(string name, DateOnly day)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", "be", "expenses.json")));
        return file.RootElement.GetProperty("parameters").GetProperty(name).GetProperty("values").EnumerateArray()
            .Where(v => DateOnly.ParseExact(v.GetProperty("from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) <= day)
            .OrderBy(v => v.GetProperty("from").GetString(), StringComparer.Ordinal)
            .Last().GetProperty("value").GetDecimal();
    }

    // Amounts are typed as the page's culture reads them (en-BE by default: a decimal comma), as a user there would.

    /// <summary>Posts the claim form as a browser does with a file chosen: multipart, every rendered field (the anti-forgery token too) plus the given ones.</summary>
    private static async Task<HttpResponseMessage> SubmitAsync(Browser browser, ProductionUnit unit, string category, (string Name, byte[] Content)? receipt,
        params (string Name, string Value)[] fields)
    {
        var form = (await browser.GetPageAsync($"/ExpenseClaims/Create?unitId={unit.Id}")).Forms["claim-form"]!;
        Assert.Equal("multipart/form-data", form.Enctype);
        var given = fields.Append(("Data.Category", category)).Append(("Data.Supplier", "Shell Ixelles")).Append(("Data.Date", "2026-03-10"))
            .GroupBy(f => f.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
        var content = new MultipartFormDataContent();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element is IHtmlButtonElement || (element is IHtmlInputElement { Type: "file" })) continue;
            var value = given.TryGetValue(name, out var g) ? g : element switch
            {
                IHtmlInputElement input => input.Value,
                IHtmlSelectElement select => select.Value,
                _ => "",
            };
            content.Add(new StringContent(value ?? ""), name);
            given.Remove(name);
        }
        if (receipt is { } file)
        {
            var bytes = new ByteArrayContent(file.Content);
            // The browser's word on the type is deliberately wrong half the time: the app must read the bytes.
            bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(bytes, "Data.Receipt", file.Name);
        }
        return await browser.Client.PostAsync(form.Action, content);
    }

    private static int IdOf(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return int.Parse(redirect.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> ErrorAtAsync(HttpResponseMessage refused, string field)
    {
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var message = (await Browser.DocumentAsync(refused)).QuerySelector($"[data-valmsg-for='{field}']")!.TextContent.Trim();
        Assert.NotEmpty(message);
        return message;
    }

    [Fact]
    public async Task A_Belgian_fuel_claim_with_a_PDF_receipt_is_charged_as_the_rule_file_says_and_shows_its_receipt()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var response = await SubmitAsync(staff, unit, "car-costs", ("ticket.pdf", Pdf), ("Data.Amount", "121,00"), ("Data.Vat", "21,00"));
        var id = IdOf(response);

        var recoverable = Math.Round(21.00m * Parameter("CarCostsDeductibleShare", new DateOnly(2026, 3, 10)), 2, MidpointRounding.AwayFromZero);
        var stored = (await Claims.GetAsync(id))!;
        Assert.Equal((ExpenseClaimStatus.Submitted, unit.MemberId, "application/pdf"), (stored.Status, stored.MemberId, stored.ReceiptContentType));
        Assert.Equal((recoverable, 121.00m, 121.00m - recoverable), (stored.Evaluation!.RecoverableVat, stored.Evaluation.Reimbursed, stored.ChargedToUnit));

        var page = await staff.FollowAsync(response);
        Assert.NotNull(page.QuerySelector("#trace [data-rule='car-costs-half-deductible']"));
        Assert.Equal("Car costs (fuel, parking, rental, repairs)", page.QuerySelector("[data-field='category']")!.TextContent.Trim());
        Assert.Equal("Submitted", page.QuerySelector("#claim-status")!.GetAttribute("data-status"));
        var link = page.QuerySelector<IHtmlAnchorElement>("#open-receipt")!;

        var file = await staff.Client.GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", file.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(Pdf, await file.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_PNG_receipt_is_shown_in_the_page_as_an_image()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.FollowAsync(await SubmitAsync(staff, unit, "supplies", ("photo.PNG", Png), ("Data.Amount", "12,10"), ("Data.Vat", "2,10")));
        var image = page.QuerySelector<IHtmlImageElement>("#receipt img")!;
        var file = await staff.Client.GetAsync(image.GetAttribute("src"));
        Assert.Equal("image/png", file.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_receipt_of_just_under_5_MB_is_stored_and_served_back_whole()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var scan = new byte[5 * 1024 * 1024 - 1];
        new Random(7).NextBytes(scan);
        Pdf.CopyTo(scan, 0);
        var id = IdOf(await SubmitAsync(staff, unit, "supplies", ("scan.pdf", scan), ("Data.Amount", "10")));
        var file = await staff.Client.GetAsync($"/ExpenseClaims/Details/{id}?handler=Receipt");
        Assert.Equal(scan, await file.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_text_file_named_pdf_is_refused_naming_the_receipt_field()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var refused = await SubmitAsync(staff, unit, "supplies", ("receipt.pdf", "hello, I am not a PDF"u8.ToArray()), ("Data.Amount", "10"));
        Assert.Contains("PDF, JPEG or PNG", await ErrorAtAsync(refused, "Data.Receipt"), StringComparison.Ordinal);
        // A real PNG under another extension is refused too: name and content must agree.
        var renamed = await SubmitAsync(staff, unit, "supplies", ("receipt.exe", Png), ("Data.Amount", "10"));
        Assert.Contains("PDF, JPEG or PNG", await ErrorAtAsync(renamed, "Data.Receipt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receipt_over_5_MB_or_a_missing_one_is_refused_naming_the_receipt_field()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var big = new byte[5 * 1024 * 1024 + 1];
        Pdf.CopyTo(big, 0);
        Assert.Contains("5 MB", await ErrorAtAsync(await SubmitAsync(staff, unit, "supplies", ("big.pdf", big), ("Data.Amount", "10")), "Data.Receipt"), StringComparison.Ordinal);
        Assert.Contains("Attach the receipt", await ErrorAtAsync(await SubmitAsync(staff, unit, "supplies", null, ("Data.Amount", "10")), "Data.Receipt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_amount_is_refused_naming_the_amount_field()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var refused = await SubmitAsync(staff, unit, "supplies", ("t.pdf", Pdf), ("Data.Amount", "-5"));
        Assert.Contains("negative", await ErrorAtAsync(refused, "Data.Amount"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mileage_claim_needs_no_receipt_and_is_paid_at_the_rate_of_the_file()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "mileage", null, ("Data.Kilometres", "137")));
        var expected = Math.Round(137m * Parameter("MileageRate", new DateOnly(2026, 3, 10)), 2, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, (await Claims.GetAsync(id))!.ChargedToUnit);
    }

    [Fact]
    public async Task Approving_asks_for_confirmation_then_moves_the_claim_to_approved_with_its_audit()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "supplies", ("t.pdf", Pdf), ("Data.Amount", "121"), ("Data.Vat", "21")));

        var form = (await staff.GetPageAsync($"/ExpenseClaims/Details/{id}")).Forms["approve-form"]!;
        var unconfirmed = await staff.SubmitAsync(form);
        Assert.Contains("confirm", await ErrorAtAsync(unconfirmed, "Approval.Confirmed"), StringComparison.Ordinal);
        Assert.Equal(ExpenseClaimStatus.Submitted, (await Claims.GetAsync(id))!.Status);

        form = (await staff.GetPageAsync($"/ExpenseClaims/Details/{id}")).Forms["approve-form"]!;
        var approved = await staff.SubmitAsync(form, ("Approval.Confirmed", "true"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var claim = (await Claims.GetAsync(id))!;
        Assert.Equal((ExpenseClaimStatus.Approved, "staff@smart.coop"), (claim.Status, claim.DecidedBy));
        var page = await staff.FollowAsync(approved);
        Assert.Equal("Approved", page.QuerySelector("#claim-status")!.GetAttribute("data-status"));
        Assert.Null(page.QuerySelector("#approve-form"));
        // The unit's budget paid it: one entry of the claim's charge, as the Belgian expenses rule set computed it.
        var ledger = app.Services.GetRequiredService<Smart.Web.Budget.ILedgerStore>();
        var entry = Assert.Single(await ledger.EntriesAsync(unit.Id), e => e.Kind == Smart.Web.Budget.LedgerEntryKind.ExpenseClaim);
        Assert.Equal((-claim.ChargedToUnit!.Value, id), (entry.Amount, entry.SourceId));
        Assert.Equal(1000m - claim.ChargedToUnit.Value, (await ledger.TotalsAsync(unit.Id)).Available);
        Assert.Contains(page.QuerySelectorAll("#history [data-field], #history td"), e => e.TextContent.Contains("Approved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refusing_requires_a_reason_and_shows_it()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "reception", ("t.pdf", Pdf), ("Data.Amount", "242"), ("Data.Vat", "42")));

        var form = (await staff.GetPageAsync($"/ExpenseClaims/Details/{id}")).Forms["refuse-form"]!;
        var noReason = await staff.SubmitAsync(form, ("Refusal.Confirmed", "true"), ("Refusal.Reason", "  "));
        Assert.Contains("reason", await ErrorAtAsync(noReason, "Refusal.Reason"), StringComparison.Ordinal);
        Assert.Equal(ExpenseClaimStatus.Submitted, (await Claims.GetAsync(id))!.Status);

        form = (await staff.GetPageAsync($"/ExpenseClaims/Details/{id}")).Forms["refuse-form"]!;
        var refused = await staff.SubmitAsync(form, ("Refusal.Confirmed", "true"), ("Refusal.Reason", "A reception is not a cost of this unit's work"));
        var page = await staff.FollowAsync(refused);
        Assert.Equal((ExpenseClaimStatus.Refused, "A reception is not a cost of this unit's work"), ((await Claims.GetAsync(id))!.Status, (await Claims.GetAsync(id))!.RefusalReason));
        Assert.Equal("A reception is not a cost of this unit's work", page.QuerySelector("[data-field='refusal-reason']")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_claim_beyond_the_units_available_budget_cannot_be_approved()
    {
        var unit = await NewUnitAsync("BE", 50m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "meals-lodging", ("t.pdf", Pdf), ("Data.Amount", "56"), ("Data.Vat", "6")));
        var form = (await staff.GetPageAsync($"/ExpenseClaims/Details/{id}")).Forms["approve-form"]!;
        var refused = await staff.SubmitAsync(form, ("Approval.Confirmed", "true"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("exceed its budget", (await Browser.DocumentAsync(refused)).QuerySelector(".validation-summary-errors")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(ExpenseClaimStatus.Submitted, (await Claims.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task The_approvals_transaction_checks_the_budget_so_a_spending_that_came_first_wins()
    {
        var unit = await NewUnitAsync("BE", 50m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "meals-lodging", ("t.pdf", Pdf), ("Data.Amount", "56"), ("Data.Vat", "6")));
        var claim = (await Claims.GetAsync(id))!;

        // The store itself refuses, inside the approval's transaction, whoever calls it.
        var refused = await Assert.ThrowsAsync<Smart.Web.Budget.BudgetExceededException>(() =>
            Claims.DecideAsync(id, claim.Version, ExpenseClaimStatus.Approved, null, new AuditActor("staff@smart.coop")));

        Assert.Equal(50m, refused.Available);
        Assert.Equal(ExpenseClaimStatus.Submitted, (await Claims.GetAsync(id))!.Status);
        var ledger = app.Services.GetRequiredService<Smart.Web.Budget.ILedgerStore>();
        Assert.DoesNotContain(await ledger.EntriesAsync(unit.Id), e => e.Kind == Smart.Web.Budget.LedgerEntryKind.ExpenseClaim);
    }

    [Fact]
    public async Task A_French_partner_can_neither_see_nor_decide_a_Belgian_claim()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "supplies", ("t.pdf", Pdf), ("Data.Amount", "10")));
        var approveForm = (await staff.GetPageAsync($"/ExpenseClaims/Details/{id}")).Forms["approve-form"]!;

        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/ExpenseClaims/Details/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/ExpenseClaims/Details/{id}?handler=Receipt")).StatusCode);
        var list = await partner.GetPageAsync("/ExpenseClaims");
        Assert.Empty(list.QuerySelectorAll($"#claims [data-claim='{id}']"));
        Assert.All(list.QuerySelectorAll("#claims [data-country]"), row => Assert.Equal("FR", row.GetAttribute("data-country")));
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.Client.GetAsync("/ExpenseClaims/Export?Country=BE")).StatusCode);

        // The partner posts the staff member's form with their own session and token: still not found, still submitted.
        var partnerToken = (await partner.GetPageAsync("/ExpenseClaims/Create")).QuerySelector<IHtmlInputElement>("[name='__RequestVerificationToken']")!.Value;
        var post = await partner.Client.PostAsync(approveForm.Action, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = partnerToken, ["Approval.Version"] = "1", ["Approval.Confirmed"] = "true",
        }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(ExpenseClaimStatus.Submitted, (await Claims.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task The_list_filters_by_status_and_exports_the_claims_as_CSV()
    {
        var unit = await NewUnitAsync("BE", 1000m);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = IdOf(await SubmitAsync(staff, unit, "travel", ("t.pdf", Pdf), ("Data.Amount", "24,50"), ("Data.Vat", "1,39")));
        var list = await staff.GetPageAsync($"/ExpenseClaims?ProductionUnitId={unit.Id}&Status=Submitted");
        Assert.NotNull(list.QuerySelector($"#claims [data-claim='{id}']"));
        Assert.Empty((await staff.GetPageAsync($"/ExpenseClaims?ProductionUnitId={unit.Id}&Status=Approved")).QuerySelectorAll("#claims [data-claim]"));

        var csv = await staff.DownloadCsvAsync($"/ExpenseClaims/Export?ProductionUnitId={unit.Id}");
        Assert.Contains("expense-claims-", csv.Disposition, StringComparison.Ordinal);
        var row = Assert.Single(csv.Rows);
        Assert.Equal(("BE", "travel", "submitted", "24.50", "23.11"), (row["Country"], row["Category"], row["Status"], row["Amount"], row["ChargedToUnit"]));
    }

    [Fact]
    public async Task The_demo_seeds_Belgian_claims_submitted_approved_and_refused_with_a_readable_receipt()
    {
        async Task<IReadOnlyList<ExpenseClaim>> Demo(ExpenseClaimStatus status) =>
            (await Claims.SearchAsync(new ExpenseClaimQuery(CountryScope.Only("BE")) { Status = status, Take = 500 })).Rows.Where(c => c.Supplier != "Shell Ixelles").ToList();
        Assert.NotEmpty(await Demo(ExpenseClaimStatus.Submitted));
        Assert.NotEmpty(await Demo(ExpenseClaimStatus.Approved));
        var refused = Assert.Single(await Demo(ExpenseClaimStatus.Refused));
        Assert.False(string.IsNullOrWhiteSpace(refused.RefusalReason));
        var receipt = (await Claims.ReceiptAsync(refused.Id))!;
        Assert.Equal("application/pdf", Smart.Web.Pages.ExpenseClaims.ReceiptFiles.TypeOf(receipt.Content));
    }

    [Theory]
    [InlineData("fr-BE", "Frais de voiture (carburant, parking, location, entretien)")]
    [InlineData("nl-BE", "Autokosten (brandstof, parkeren, huur, onderhoud)")]
    [InlineData("en-BE", "Car costs (fuel, parking, rental, repairs)")]
    public async Task The_form_offers_the_categories_of_the_rule_set_by_their_names_in_the_users_language(string culture, string carCosts)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var options = (await staff.GetPageAsync("/ExpenseClaims/Create")).QuerySelectorAll("select[name='Data.Category'] option");
        // Belgium's and France's rule sets both list car costs, each under its country's group, each named by its own file.
        Assert.Contains(carCosts, options.Where(o => o.GetAttribute("value") == "car-costs").Select(o => o.TextContent.Trim()));
    }
}
