using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Rules.Evaluation;
using Smart.Web.Reminders;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>Payments, overdue, credit notes and the member's author rights across the year, through the real app.</summary>
public class InvoicePaymentTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    private IInvoiceStore Invoices => app.Services.GetRequiredService<IInvoiceStore>();

    private async Task<ProductionUnit> UnitAsync(string country, int skip = 0)
    {
        var units = app.Services.GetRequiredService<IProductionUnitStore>();
        return (await units.SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Skip = skip, Take = 1 })).Rows[0];
    }

    private async Task<Client> BusinessClientAsync(string country)
    {
        var clients = app.Services.GetRequiredService<IClientStore>();
        return (await clients.SearchAsync(new ClientQuery(CountryScope.Only(country)) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
    }

    private static decimal Number(string? text) => decimal.Parse(text!, CultureInfo.InvariantCulture);

    /// <summary>Saves a draft through the create form (lines: description, category, quantity, unit price) and returns its id.</summary>
    private async Task<int> DraftAsync(Browser browser, ProductionUnit unit, string date, string dueDate, params (string, string, string, string)[] lines)
    {
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var values = new List<(string, string)>
        {
            ("Data.ClientId", (await BusinessClientAsync(unit.Country)).Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", date), ("Data.DueDate", dueDate),
        };
        for (var i = 0; i < lines.Length; i++)
            values.AddRange([($"Data.Lines[{i}].Description", lines[i].Item1), ($"Data.Lines[{i}].Category", lines[i].Item2),
                ($"Data.Lines[{i}].Quantity", lines[i].Item3), ($"Data.Lines[{i}].UnitPrice", lines[i].Item4)]);
        var response = await browser.SubmitAsync(form, [.. values]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
    }

    private async Task<Invoice> IssuedAsync(Browser browser, int id)
    {
        var response = await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var issued = (await Invoices.GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, issued.Status);
        return issued;
    }

    private static async Task<HttpResponseMessage> PayAsync(Browser browser, int id, string amount, string date = "2026-04-01") =>
        await browser.SubmitAsync((await browser.GetPageAsync($"/Invoices/Details/{id}")).Forms["payment-form"]!,
            ("Payment.Date", date), ("Payment.Amount", amount), ("Payment.Reference", "bank statement 42"));

    private static string? StatusOf(IHtmlDocument page) => page.QuerySelector("[data-field='status']")!.GetAttribute("data-status");

    [Fact]
    public async Task A_partial_then_a_full_payment_make_the_invoice_partly_paid_then_paid()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, await DraftAsync(staff, await UnitAsync("BE"), "2026-03-15", "2099-12-31", ("Design", "service", "1", "1000")));
        var gross = invoice.Evaluation!.Totals.Gross;
        Assert.Equal(1210m, gross);

        var page = await staff.FollowAsync(await PayAsync(staff, invoice.Id, "210"));
        Assert.Equal(nameof(InvoiceStatus.PartlyPaid), StatusOf(page));
        Assert.Equal(1000m, Number(page.QuerySelector("#balance-due")!.GetAttribute("data-amount")));
        Assert.Single(page.QuerySelectorAll("#payments tbody tr"));

        page = await staff.FollowAsync(await PayAsync(staff, invoice.Id, "1000"));
        Assert.Equal(nameof(InvoiceStatus.Paid), StatusOf(page));
        Assert.Equal(0m, Number(page.QuerySelector("#balance-due")!.GetAttribute("data-amount")));
        Assert.Null(page.QuerySelector("#payment-form"));
        var paid = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Equal([210m, 1000m], paid.Payments.Select(p => p.Amount));
        Assert.Equal(JsonSerializer.Serialize(invoice.Evaluation), JsonSerializer.Serialize(paid.Evaluation));

        var list = await staff.GetPageAsync("/Invoices?Status=Paid");
        Assert.NotNull(list.QuerySelector($"tr[data-invoice='{invoice.Id}'][data-status='Paid']"));
    }

    [Fact]
    public async Task A_payment_beyond_the_balance_due_is_refused_on_the_amount()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var invoice = await IssuedAsync(staff, await DraftAsync(staff, await UnitAsync("BE"), "2026-03-15", "2099-12-31", ("Design", "service", "1", "1000")));

        var response = await PayAsync(staff, invoice.Id, "1211");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("balance due", page.QuerySelector("[data-valmsg-for='Payment.Amount']")!.TextContent, StringComparison.OrdinalIgnoreCase);
        response = await PayAsync(staff, invoice.Id, "0");
        Assert.Contains("above zero", (await Browser.DocumentAsync(response)).QuerySelector("[data-valmsg-for='Payment.Amount']")!.TextContent);
        var stored = (await Invoices.GetAsync(invoice.Id))!;
        Assert.Empty(stored.Payments);
        Assert.Equal(InvoiceStatus.Issued, stored.Status);
    }

    [Fact]
    public async Task An_issued_invoice_past_its_due_date_is_shown_overdue_and_found_by_the_overdue_filter()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var late = await IssuedAsync(staff, await DraftAsync(staff, await UnitAsync("BE"), "2026-03-15", "2026-04-14", ("Design", "service", "1", "500")));
        var onTime = await IssuedAsync(staff, await DraftAsync(staff, await UnitAsync("BE"), "2026-03-15", "2099-12-31", ("Design", "service", "1", "500")));

        Assert.Equal(nameof(InvoiceStatus.Overdue), StatusOf(await staff.GetPageAsync($"/Invoices/Details/{late.Id}")));
        Assert.Equal(InvoiceStatus.Issued, (await Invoices.GetAsync(late.Id))!.Status);
        var overdue = await staff.GetPageAsync("/Invoices?Status=Overdue");
        Assert.NotNull(overdue.QuerySelector($"tr[data-invoice='{late.Id}'][data-status='Overdue']"));
        Assert.Null(overdue.QuerySelector($"tr[data-invoice='{onTime.Id}']"));
        var issued = await staff.GetPageAsync("/Invoices?Status=Issued");
        Assert.Null(issued.QuerySelector($"tr[data-invoice='{late.Id}']"));
        Assert.NotNull(issued.QuerySelector($"tr[data-invoice='{onTime.Id}'][data-status='Issued']"));

        // Partly paid and still late is overdue; paid in full it no longer is.
        await PayAsync(staff, late.Id, "100");
        Assert.Equal(nameof(InvoiceStatus.Overdue), StatusOf(await staff.GetPageAsync($"/Invoices/Details/{late.Id}")));
        await PayAsync(staff, late.Id, "505");
        Assert.Equal(nameof(InvoiceStatus.Paid), StatusOf(await staff.GetPageAsync($"/Invoices/Details/{late.Id}")));
    }

    [Fact]
    public async Task A_credit_note_is_numbered_from_its_own_sequence_and_cancels_the_original_whose_evaluation_stays()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var first = await IssuedAsync(staff, await DraftAsync(staff, await UnitAsync("BE"), "2026-03-15", "2099-12-31", ("Design", "service", "2", "450")));
        var second = await IssuedAsync(staff, await DraftAsync(staff, await UnitAsync("BE"), "2026-03-15", "2099-12-31", ("Design", "service", "1", "300")));
        var evaluationBefore = JsonSerializer.Serialize(first.Evaluation);

        var noteIds = new List<int>();
        foreach (var invoice in new[] { first, second })
        {
            var response = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoice.Id}")).Forms["credit-form"]!);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var page = await staff.FollowAsync(response);
            Assert.Equal(invoice.Id.ToString(CultureInfo.InvariantCulture), page.QuerySelector("[data-field='related']")!.GetAttribute("data-related"));
            noteIds.Add(int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture));
        }

        var notes = await Task.WhenAll(noteIds.Select(async id => (await Invoices.GetAsync(id))!));
        var year = DateTime.Today.Year.ToString(CultureInfo.InvariantCulture);
        Assert.All(notes, n => Assert.Matches($"^BE-CN-{year}-\\d{{6}}$", n.Number!));
        Assert.Equal(int.Parse(notes[0].Number![^6..], CultureInfo.InvariantCulture) + 1, int.Parse(notes[1].Number![^6..], CultureInfo.InvariantCulture));
        Assert.Equal(first.Id, notes[0].CreditNoteForId);
        Assert.Equal(-first.Evaluation!.Totals.Gross, notes[0].Evaluation!.Totals.Gross);
        Assert.Equal(-first.Evaluation.Totals.Vat, notes[0].Evaluation!.Totals.Vat);
        Assert.Equal(first.Evaluation.Lines[0].VatRate, notes[0].Evaluation!.Lines[0].VatRate);

        var original = (await Invoices.GetAsync(first.Id))!;
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, original.Status);
        Assert.Equal(notes[0].Id, original.CreditedById);
        Assert.Equal(first.Number, original.Number);
        Assert.Equal(evaluationBefore, JsonSerializer.Serialize(original.Evaluation));
        var originalPage = await staff.GetPageAsync($"/Invoices/Details/{first.Id}");
        Assert.Equal(nameof(InvoiceStatus.CancelledByCreditNote), StatusOf(originalPage));
        Assert.Null(originalPage.QuerySelector("#credit-form"));
        Assert.Null(originalPage.QuerySelector("#payment-form"));
        // The invoice sequence is untouched by credit notes.
        Assert.Matches($"^BE-{year}-\\d{{6}}$", original.Number!);
    }

    [Fact]
    public async Task Issuing_an_author_rights_invoice_raises_the_members_year_to_date_by_its_author_rights_net_and_the_next_evaluation_uses_it()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await UnitAsync("BE", skip: 2);
        var year = DateTime.Today.Year;
        var date = $"{year}-03-15";
        var before = (await Invoices.IncomeIssuedAsync(unit.MemberId, year)).AuthorRights;

        var first = await IssuedAsync(staff, await DraftAsync(staff, unit, date, "", ("Illustration rights", "author-rights", "1", "1000")));
        var rights = first.Evaluation!.AuthorRights!;
        Assert.True(rights.Amount > 0);
        Assert.Equal(before + rights.Amount, (await Invoices.IncomeIssuedAsync(unit.MemberId, year)).AuthorRights);
        var member = (await app.Services.GetRequiredService<IMemberStore>().GetAsync(unit.MemberId))!;
        var memberPage = await staff.GetPageAsync($"/Members/Details/{member.Id}");
        Assert.Equal(member.AuthorRightsYearToDate + before + rights.Amount, Number(memberPage.QuerySelector("[data-field='author-rights']")!.GetAttribute("data-amount")));

        var next = (await Invoices.GetAsync(await DraftAsync(staff, unit, date, "", ("More rights", "author-rights", "1", "500"))))!;
        Assert.Equal(rights.YearToDate + rights.Amount, next.Evaluation!.AuthorRights!.YearToDate);
        // Another year starts from the member's issued rights of that year only.
        Assert.Equal(0m, (await Invoices.IncomeIssuedAsync(unit.MemberId, year - 1)).AuthorRights);

        // A credit note takes the original's author rights off again, audited on the member.
        await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{first.Id}")).Forms["credit-form"]!);
        Assert.Equal(before, (await Invoices.IncomeIssuedAsync(unit.MemberId, year)).AuthorRights);
        var history = await app.Services.GetRequiredService<IAuditLog>().ForEntityAsync(AuditedEntity.Member, unit.MemberId.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(history, e => e.Changes.Any(c => c.Field == $"AuthorRightsIssued{year}"));
    }

    [Fact]
    public async Task The_part_of_author_rights_above_the_70_30_cap_counts_as_professional_income_not_author_rights()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await UnitAsync("BE", skip: 4);
        var today = DateOnly.FromDateTime(DateTime.Today);
        var date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(MemberIncome.None, await Invoices.IncomeIssuedAsync(unit.MemberId, today.Year));
        // Staff enter the member's pay of the year from outside the invoices; 14,000 of pay allows 14,000 × 30 / 70 = 6,000 of author rights.
        var edit = await staff.SubmitAsync((await staff.GetPageAsync($"/Members/Edit/{unit.MemberId}")).Forms["member-form"]!,
            ("Data.AuthorRightsYearToDate", "0"), ("Data.ProfessionalIncomeYearToDate", "14000"));
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Equal(14_000m, (await app.Services.GetRequiredService<IMemberStore>().GetAsync(unit.MemberId))!.ProfessionalIncomeYearToDate);

        var first = await IssuedAsync(staff, await DraftAsync(staff, unit, date, "", ("Illustration rights", "author-rights", "1", "8000")));
        var rights = first.Evaluation!.AuthorRights!;
        Assert.Equal((8_000m, 2_000m), (rights.Amount, rights.AboveShareCap));
        Assert.Equal(new MemberIncome(6_000m, 2_000m), await Invoices.IncomeIssuedAsync(unit.MemberId, today.Year));
        var memberPage = await staff.GetPageAsync($"/Members/Details/{unit.MemberId}");
        Assert.Equal(6_000m, Number(memberPage.QuerySelector("[data-field='author-rights']")!.GetAttribute("data-amount")));
        Assert.Equal(16_000m, Number(memberPage.QuerySelector("[data-field='professional-income']")!.GetAttribute("data-amount")));

        // The next invoice sees 6,000 of author rights and 16,000 of pay: 16,000 × 30 / 70 − 6,000 = 857.14 of 1,000 may be author rights.
        var next = (await Invoices.GetAsync(await DraftAsync(staff, unit, date, "", ("More rights", "author-rights", "1", "1000"))))!;
        Assert.Equal((6_000m, 142.86m), (next.Evaluation!.AuthorRights!.YearToDate, next.Evaluation.AuthorRights.AboveShareCap));

        // A credit note takes both figures off again, audited on the member.
        await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{first.Id}")).Forms["credit-form"]!);
        Assert.Equal(MemberIncome.None, await Invoices.IncomeIssuedAsync(unit.MemberId, today.Year));
        var history = await app.Services.GetRequiredService<IAuditLog>().ForEntityAsync(AuditedEntity.Member, unit.MemberId.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(history, e => e.Changes.Any(c => c.Field == $"ProfessionalIncomeIssued{today.Year}"));
    }

    [Fact]
    public async Task The_editor_warns_when_a_draft_would_take_the_member_over_the_annual_ceiling_with_both_figures()
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await UnitAsync("BE", skip: 3);
        var today = DateOnly.FromDateTime(DateTime.Today);
        var ceiling = app.Services.GetRequiredService<DocumentEvaluator>().AuthorRightsCeiling("BE", today)!.Value;
        var members = app.Services.GetRequiredService<IMemberStore>();
        var member = (await members.GetAsync(unit.MemberId))!;
        var issued = (await Invoices.IncomeIssuedAsync(member.Id, today.Year)).AuthorRights;
        var saved = await members.UpdateAsync(member with { AuthorRightsYearToDate = ceiling - issued - 300m }, member.Version, new AuditActor("test"));
        Assert.True(saved.Updated);

        var id = await DraftAsync(staff, unit, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "", ("Illustration rights", "author-rights", "1", "1000"));
        var draft = (await Invoices.GetAsync(id))!;
        var warning = (await staff.GetPageAsync($"/Invoices/Edit/{id}")).QuerySelector("#author-rights-ceiling")!;
        Assert.Equal("true", warning.GetAttribute("data-crosses"));
        Assert.Equal(ceiling - 300m, Number(warning.GetAttribute("data-year-to-date")));
        Assert.Equal(draft.Evaluation!.AuthorRights!.Amount, Number(warning.GetAttribute("data-this-invoice")));
        Assert.Equal(ceiling, Number(warning.GetAttribute("data-ceiling")));
        Assert.Contains("ceiling", warning.TextContent);

        // Below the ceiling the editor shows the figures without a warning.
        var small = await DraftAsync(staff, unit, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "", ("Small rights", "author-rights", "1", "100"));
        Assert.Equal("false", (await staff.GetPageAsync($"/Invoices/Edit/{small}")).QuerySelector("#author-rights-ceiling")!.GetAttribute("data-crosses"));
    }

    public static TheoryData<string, string> PartnerCountries() => new() { { "FR", "EUR" }, { "IT", "EUR" }, { "SE", "SEK" } };

    /// <summary>The whole life of an invoice outside Belgium: evaluated against the country's own rule file, issued, paid in part, reminded once, credited.</summary>
    [Theory]
    [MemberData(nameof(PartnerCountries))]
    public async Task Invoice_is_evaluated_issued_paid_reminded_and_credited_in_each_partner_country(string country, string currency)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = await UnitAsync(country);
        var vatFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", country.ToLowerInvariant(), "vat.json")));
        var standardRate = vatFile.RootElement.GetProperty("parameters").GetProperty("StandardRate").GetProperty("values").EnumerateArray()
            .Last(v => string.CompareOrdinal(v.GetProperty("from").GetString(), "2026-01-15") <= 0).GetProperty("value").GetDecimal();

        var invoice = await IssuedAsync(staff, await DraftAsync(staff, unit, "2026-01-15", "2026-02-14", ("Design", "service", "2", "450")));
        Assert.Equal(currency, invoice.Evaluation!.Currency);
        Assert.Equal(900.00m, invoice.Evaluation.Totals.Net);
        Assert.Equal(Math.Round(900.00m * standardRate, 2, MidpointRounding.AwayFromZero), invoice.Evaluation.Totals.Vat);
        Assert.StartsWith($"{country}-2026-", invoice.Number);

        Assert.Equal(HttpStatusCode.Redirect, (await PayAsync(staff, invoice.Id, "100", "2026-02-01")).StatusCode);
        Assert.Equal(InvoiceStatus.PartlyPaid, (await Invoices.GetAsync(invoice.Id))!.Status);
        // Due in February and not fully paid: the page shows it overdue today.
        Assert.Equal("Overdue", StatusOf(await staff.GetPageAsync($"/Invoices/Details/{invoice.Id}")));

        // Overdue: the reminder job records each step the country's late-payment schedule makes due, once, however often it runs.
        var day = new DateOnly(2026, 6, 30);
        using (var scope = app.Services.CreateScope())
        {
            var mediator = scope.ServiceProvider.GetRequiredService<MediatR.IMediator>();
            await mediator.Send(new Smart.Web.Reminders.SendPaymentReminders.Command(day));
            await mediator.Send(new Smart.Web.Reminders.SendPaymentReminders.Command(day));
        }
        var schedule = invoice.Evaluation.LatePayment?.ReminderDays ?? [];
        var due = schedule.Count(days => new DateOnly(2026, 2, 14).AddDays(days) <= day);
        var reminders = await app.Services.GetRequiredService<IReminderStore>().ForInvoiceAsync(invoice.Id);
        Assert.Equal(due, reminders.Count);
        Assert.Equal(reminders.Count, reminders.Select(r => r.Step).Distinct().Count());

        var credited = await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoice.Id}")).Forms["credit-form"]!);
        Assert.Equal(HttpStatusCode.Redirect, credited.StatusCode);
        var noteId = int.Parse(credited.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        var note = (await Invoices.GetAsync(noteId))!;
        Assert.Equal(invoice.Id, note.CreditNoteForId);
        Assert.Equal(-invoice.Evaluation.Totals.Gross, note.Evaluation!.Totals.Gross);
        Assert.Equal(InvoiceStatus.CancelledByCreditNote, (await Invoices.GetAsync(invoice.Id))!.Status);
    }
}
