using System.Globalization;
using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Localization;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Tests.Budget;

namespace Smart.Web.Tests.ThreeInOne;

/// <summary>The 3-in-1 job: an invoice, the contract it pays and its expense claims, through one form, as staff and partners use it.</summary>
public class ThreeInOneTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly CultureInfo PageCulture = CultureInfo.GetCultureInfo("en-BE");
    private static readonly byte[] Pdf = [.. "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8];
    private static readonly IReadOnlyDictionary<string, (string, byte[])> NoFiles = new Dictionary<string, (string, byte[])>();

    private LedgerPages Ledger => new(app);
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();
    private IContractStore Contracts => app.Services.GetRequiredService<IContractStore>();
    private IExpenseClaimStore Claims => app.Services.GetRequiredService<IExpenseClaimStore>();

    /// <summary>
    /// The job's fields: ten days of design at 100 on the invoice, three days' work as an employee, and the expense rows given. The unit's
    /// business client of its country.
    /// </summary>
    private async Task<(string Name, string Value)[]> JobAsync(ProductionUnit unit, params (string Name, string Value)[] expenses)
    {
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only(unit.Country)) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        return
        [
            ("Data.Invoice.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Invoice.Date", "2026-03-10"), ("Data.Invoice.DueDate", "2026-04-09"),
            ("Data.Invoice.Lines[0].Description", "Design"), ("Data.Invoice.Lines[0].Category", "service"), ("Data.Invoice.Lines[0].Quantity", "10"),
            ("Data.Invoice.Lines[0].UnitPrice", "100"),
            ("Data.Contract.JobCategory", "employee"), ("Data.Contract.StartDate", "2026-03-10"), ("Data.Contract.EndDate", "2026-03-12"),
            ("Data.Contract.Days", "3"), ("Data.Contract.Hours", "24"),
            .. expenses,
        ];
    }

    /// <summary>A mileage row; France's categories name the car's fiscal horsepower.</summary>
    private static (string, string)[] Mileage(int row, string kilometres, string category = "mileage") =>
        [($"Data.Expenses[{row}].Date", "2026-03-10"), ($"Data.Expenses[{row}].Supplier", "Own car"), ($"Data.Expenses[{row}].Category", category),
         ($"Data.Expenses[{row}].Kilometres", kilometres)];

    private static (string, string)[] Supplies(int row, string amount, string vat) =>
        [($"Data.Expenses[{row}].Date", "2026-03-10"), ($"Data.Expenses[{row}].Supplier", "Brico Ixelles"), ($"Data.Expenses[{row}].Category", "supplies"),
         ($"Data.Expenses[{row}].Amount", amount), ($"Data.Expenses[{row}].Vat", vat)];

    private static async Task<HttpResponseMessage> PostAsync(Browser browser, ProductionUnit unit, bool calculate, IReadOnlyDictionary<string, (string, byte[])> files,
        params (string Name, string Value)[] values)
    {
        var page = await browser.GetPageAsync($"/ThreeInOne/Create/{unit.Id}");
        var form = page.Forms["job-form"]!;
        Assert.Equal("multipart/form-data", form.Enctype);
        var button = calculate ? (IHtmlButtonElement)page.GetElementById("calculate-job")! : null;
        return await browser.SubmitWithFilesAsync(form, button, files, values);
    }

    private async Task<(int Invoices, int Contracts, int Claims)> StoredForAsync(ProductionUnit unit)
    {
        var scope = CountryScope.Only(unit.Country);
        return ((await Invoices.SearchAsync(new InvoiceQuery(scope) { ProductionUnitId = unit.Id })).Total,
            (await Contracts.SearchAsync(new ContractQuery(scope) { ProductionUnitId = unit.Id })).Total,
            (await Claims.SearchAsync(new ExpenseClaimQuery(scope) { ProductionUnitId = unit.Id })).Total);
    }

    private static string Figure(IHtmlDocument page, string name) => page.QuerySelector($"[data-figure='{name}'] .money")!.TextContent.Trim();

    private static string Euros(decimal amount) => Money.Format(amount, "EUR", PageCulture);

    [Fact]
    public async Task Calculate_shows_the_gross_salary_the_invoice_net_pays_after_contribution_and_expenses_as_the_rule_files_give_it_and_stores_nothing()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await Ledger.NewUnitAsync("BE", 0m);

        var response = await PostAsync(staff, unit, calculate: true, NoFiles, await JobAsync(unit, Mileage(0, "100")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Empty(page.QuerySelectorAll(".field-validation-error"));
        // The invoice by be/vat and be/contribution; the expense by be/expenses; the salary by be/employment's split of what is left.
        var net = 10 * 100m;
        var contribution = RuleFiles.Round(net * RuleFiles.Parameter("be", "contribution", "InvoicingContributionRate", Day));
        var charged = RuleFiles.Round(100 * RuleFiles.Parameter("be", "expenses", "MileageRate", Day));
        var budget = net - contribution - charged;
        var mutualised = RuleFiles.Round(budget * RuleFiles.Parameter("be", "employment", "MutualisedRate", Day));
        var gross = RuleFiles.Round((budget - mutualised) / (1 + RuleFiles.Parameter("be", "employment", "EmployerContributionRate", Day)));
        Assert.Equal(Euros(net), Figure(page, "net"));
        Assert.Equal(Euros(RuleFiles.Round(net * RuleFiles.Parameter("be", "vat", "StandardRate", Day))), Figure(page, "vat"));
        Assert.Equal(Euros(contribution), Figure(page, "contribution"));
        Assert.Equal(Euros(charged), Figure(page, "expense-0"));
        Assert.Equal(Euros(budget), Figure(page, "budget"));
        Assert.Equal(Euros(mutualised), Figure(page, "mutualised"));
        Assert.Equal(Euros(budget - mutualised - gross), Figure(page, "employer"));
        Assert.Equal(Euros(gross), Figure(page, "gross-salary"));
        // The form comes back as typed, ready for Create.
        Assert.Equal("100", ((IHtmlInputElement)page.QuerySelector("[name='Data.Expenses[0].Kilometres']")!).Value);
        Assert.Equal((0, 0, 0), await StoredForAsync(unit));
    }

    [Fact]
    public async Task Create_stores_the_draft_invoice_the_contract_it_pays_and_the_expense_claims_with_their_receipt_on_one_unit_with_no_budget_of_its_own()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        // Nothing in the ledger and the invoice still a draft: the contract may count on its own job's invoice, and only on that.
        var unit = await Ledger.NewUnitAsync("BE", 0m);
        var files = new Dictionary<string, (string, byte[])> { ["Data.Expenses[0].Receipt"] = ("ticket.pdf", Pdf) };

        var response = await PostAsync(staff, unit, calculate: false, files, await JobAsync(unit, [.. Supplies(0, "121", "21"), .. Mileage(2, "40")]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await staff.FollowAsync(response);
        var invoiceId = IdOf(page, "invoice", "/Invoices/Details/");
        var contractId = IdOf(page, "contract", "/Contracts/Details/");
        var claimIds = page.QuerySelectorAll("[data-document='expense-claim'] a").Select(a => Id(a.GetAttribute("href")!, "/ExpenseClaims/Details/")).ToList();
        Assert.Equal(2, claimIds.Count);

        var invoice = (await Invoices.GetAsync(invoiceId))!;
        var contract = (await Contracts.GetAsync(contractId))!;
        var claims = await Task.WhenAll(claimIds.Select(id => Claims.GetAsync(id)));
        Assert.Equal(InvoiceStatus.Draft, invoice.Status);
        Assert.Equal(ContractStatus.Draft, contract.Status);
        Assert.All(claims, c => Assert.Equal(ExpenseClaimStatus.Submitted, c!.Status));
        Assert.Equal(unit.Id, invoice.ProductionUnitId);
        Assert.Equal(unit.Id, contract.ProductionUnitId);
        Assert.All(claims, c => Assert.Equal(unit.Id, c!.ProductionUnitId));
        Assert.Equal(unit.MemberId, contract.MemberId);
        Assert.Equal(invoice.Id, contract.JobInvoiceId);
        Assert.Equal((new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 12)), (contract.StartDate, contract.EndDate));
        // The contract's budget is the invoice's net less its contribution and less what the claims charge the unit.
        Assert.Equal(invoice.Evaluation!.Totals.Net - invoice.Evaluation.Contribution.Amount - claims.Sum(c => c!.ChargedToUnit!.Value), contract.Budget);
        Assert.Equal(contract.Budget, contract.Evaluation!.Employment.Budget);
        var receipt = await Claims.ReceiptAsync(claims.Single(c => c!.Category == "supplies")!.Id);
        Assert.Equal(Pdf, receipt!.Content);
        Assert.Null(await Claims.ReceiptAsync(claims.Single(c => c!.Category == "mileage")!.Id));
        Assert.Equal((1, 1, 2), await StoredForAsync(unit));
        // Each lives on in its own page.
        Assert.Equal($"/Invoices/Details/{invoice.Id}",
            (await staff.GetPageAsync($"/Contracts/Details/{contract.Id}")).QuerySelector("[data-field='job-invoice'] a")!.GetAttribute("href"));
        Assert.Contains("ticket.pdf", (await staff.GetPageAsync($"/ExpenseClaims/Details/{claims[0]!.Id}")).Body!.TextContent);
    }

    [Fact]
    public async Task A_bad_expense_row_is_named_with_its_field_and_nothing_of_the_job_is_stored()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await Ledger.NewUnitAsync("BE", 0m);

        // The second row's VAT is more than its amount; the first row is right.
        var response = await PostAsync(staff, unit, calculate: false, new Dictionary<string, (string, byte[])> { ["Data.Expenses[0].Receipt"] = ("ticket.pdf", Pdf) },
            await JobAsync(unit, [.. Supplies(0, "121", "21"), .. Supplies(1, "10", "30")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.NotEmpty(page.QuerySelector("[data-valmsg-for='Data.Expenses[1].Vat']")!.TextContent.Trim());
        Assert.Empty(page.QuerySelector("[data-valmsg-for='Data.Expenses[0].Vat']")!.TextContent.Trim());
        Assert.Equal((0, 0, 0), await StoredForAsync(unit));

        // A receipt category without its receipt, on create: the row's receipt field says so, and still nothing is stored.
        response = await PostAsync(staff, unit, calculate: false, NoFiles, await JobAsync(unit, [.. Mileage(0, "20"), .. Supplies(2, "121", "21")]));
        page = await Browser.DocumentAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(page.QuerySelector("[data-valmsg-for='Data.Expenses[2].Receipt']")!.TextContent.Trim());
        Assert.Equal((0, 0, 0), await StoredForAsync(unit));
    }

    [Fact]
    public async Task A_French_partner_cannot_make_a_job_on_a_Belgian_unit_but_can_on_a_French_one()
    {
        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var belgian = await Ledger.NewUnitAsync("BE", 0m);
        var french = await Ledger.NewUnitAsync("FR", 0m);

        Assert.Equal(HttpStatusCode.NotFound, (await partner.Client.GetAsync($"/ThreeInOne/Create/{belgian.Id}")).StatusCode);
        // The French unit's form, its token and a job, pointed at the Belgian unit.
        var response = await PostAsync(partner, french, calculate: false, NoFiles,
            [.. await JobAsync(french, Mileage(0, "10", "mileage-car-4cv")), ("Data.ProductionUnitId", belgian.Id.ToString(CultureInfo.InvariantCulture))]);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal((0, 0, 0), await StoredForAsync(belgian));
        Assert.Equal((0, 0, 0), await StoredForAsync(french));

        response = await PostAsync(partner, french, calculate: false, NoFiles, await JobAsync(french, Mileage(0, "10", "mileage-car-4cv")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal((1, 1, 1), await StoredForAsync(french));
    }

    [Fact]
    public async Task The_jobs_draft_contract_counts_its_draft_invoice_but_is_confirmed_only_once_that_invoice_is_issued()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await Ledger.NewUnitAsync("BE", 0m);
        var page = await staff.FollowAsync(await PostAsync(staff, unit, calculate: false, NoFiles, await JobAsync(unit, Mileage(0, "30"))));
        var invoiceId = IdOf(page, "invoice", "/Invoices/Details/");
        var contractId = IdOf(page, "contract", "/Contracts/Details/");

        // Still a draft, the contract is edited on its own page as any other; it still counts on its job's draft invoice.
        var edited = await staff.SubmitAsync((await staff.GetPageAsync($"/Contracts/Edit/{contractId}")).Forms["contract-form"]!, ("Data.Hours", "20"));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal(20m, (await Contracts.GetAsync(contractId))!.Hours);

        // Confirming reserves the budget in the ledger: a draft invoice, which may still change, is not enough for that.
        var refused = await staff.SubmitAsync((await staff.GetPageAsync($"/Contracts/Edit/{contractId}")).Forms["contract-form"]!, ("Data.Status", "Confirmed"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEmpty((await Browser.DocumentAsync(refused)).QuerySelector("[data-valmsg-for='Data.Budget']")!.TextContent.Trim());
        Assert.Equal(ContractStatus.Draft, (await Contracts.GetAsync(contractId))!.Status);

        var issued = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoiceId}")).Forms["issue-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        Assert.Equal(InvoiceStatus.Issued, (await Invoices.GetAsync(invoiceId))!.Status);
        var confirmed = await staff.SubmitAsync((await staff.GetPageAsync($"/Contracts/Edit/{contractId}")).Forms["contract-form"]!, ("Data.Status", "Confirmed"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var contract = (await Contracts.GetAsync(contractId))!;
        Assert.Equal(ContractStatus.Confirmed, contract.Status);
        Assert.Equal(contract.Evaluation!.Employment.Budget, (await LedgerPages.FiguresAsync(staff, unit.Id)).Reserved);
    }

    [Theory]
    [InlineData("fr-BE", "Nouvelle mission 3-en-1", new[] { "Client", "Catégorie d'emploi", "Date de début", "Date de fin" })]
    [InlineData("nl-BE", "Nieuwe 3-in-1-opdracht", new[] { "Klant", "Functiecategorie", "Begindatum", "Einddatum" })]
    public async Task The_job_form_reads_in_the_chosen_language(string culture, string title, string[] labels)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var unit = await Ledger.NewUnitAsync("FR", 0m);
        var page = await staff.GetPageAsync($"/ThreeInOne/Create/{unit.Id}");
        Assert.Equal(title, page.QuerySelector("h1")!.TextContent.Trim());
        var shown = page.QuerySelectorAll("label").Select(l => l.TextContent.Trim()).ToList();
        foreach (var label in labels) Assert.True(shown.Contains(label), $"{label} not in {string.Join(" | ", shown)}");
        Assert.DoesNotContain("Start date", shown);
    }

    private static int IdOf(IHtmlDocument page, string document, string path) =>
        Id(page.QuerySelector($"[data-document='{document}'] a")!.GetAttribute("href")!, path);

    private static int Id(string href, string path)
    {
        Assert.StartsWith(path, href, StringComparison.Ordinal);
        return int.Parse(href[path.Length..], CultureInfo.InvariantCulture);
    }
}
