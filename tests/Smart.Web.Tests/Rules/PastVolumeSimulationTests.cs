using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>
/// Issue 15's simulation comforts: a rate that starts next year simulated on this year's documents as if in force then ("what would 7 % have
/// cost in 2026?"), and credit notes evaluated as the invoices they take back, counting negative.
/// </summary>
public sealed class PastVolumeSimulationTests : IDisposable
{
    private const string Key = "be/contribution.json";
    private readonly SmartWebFactory app = new();

    public void Dispose() => app.Dispose();

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Next_years_rate_simulated_on_this_years_documents_as_if_in_force_counts_a_credit_note_negative()
    {
        // A fresh Belgian unit with one issued invoice of 1,000 excl. VAT, 400 of which a credit note takes back.
        var owner = (await app.Services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        var unit = await app.Services.GetRequiredService<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "BE", Name = $"Past volume {Guid.NewGuid():N}", MemberId = owner.Id, Sector = owner.Sector, OpeningBalance = 100_000m,
            Created = new DateOnly(2026, 1, 5),
        }, new AuditActor("test"));
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 1 })).Rows[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var invoice = SimulationTests.IdOf(await staff.SubmitAsync(form, ("Data.ClientId", Text(client.Id)), ("Data.Issuer", "smartcoop"), ("Data.Date", "2026-02-02"), ("Data.DueDate", ""),
            ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"), ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", "1000")));
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoice}")).Forms["issue-form"]!)).StatusCode);
        var note = SimulationTests.IdOf(await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{invoice}")).Forms["credit-amount-form"]!, ("CreditByAmount.Amount", "400")));

        // The draft: 7 % from next January.
        var rules = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await rules.InForceAsync(Key))!;
        var file = JObject.Parse(inForce.Text);
        ((JArray)file["parameters"]!["InvoicingContributionRate"]!["values"]!).Add(new JObject { ["from"] = "2027-01-01", ["value"] = 0.07m });
        var draft = await rules.AddDraftAsync(Key, "BE", "contribution", file.ToString(), inForce.Id, new AuditActor("compliance@smart.coop"));
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var simulations = app.Services.GetRequiredService<ISimulationStore>();

        // As it is, the draft changes nothing in 2026, and the credit note is evaluated, not reported as a problem.
        var start = await officer.GetPageAsync($"/Rules/Simulations/Start/{draft.Id}");
        var plain = SimulationTests.IdOf(await officer.SubmitAsync(start.Forms["simulation-form"]!, ("Data.From", "2026-01-01"), ("Data.To", "2027-12-31")));
        var plainProgress = await SimulationTests.FinishedAsync(officer, plain);
        Assert.Equal("Done", plainProgress.GetProperty("status").GetString());
        Assert.Equal((0, 0), (plainProgress.GetProperty("affected").GetInt32(), plainProgress.GetProperty("failed").GetInt32()));

        // As if in force from the period's first day: the invoice costs 0.5 % of 1,000 more, the credit note takes back 0.5 % of 400.
        var asIf = SimulationTests.IdOf(await officer.SubmitAsync(start.Forms["simulation-form"]!, ("Data.From", "2026-01-01"), ("Data.To", "2027-12-31"), ("Data.AsIfInForce", "true")));
        var progress = await SimulationTests.FinishedAsync(officer, asIf);

        Assert.Equal("Done", progress.GetProperty("status").GetString());
        Assert.Equal(0, progress.GetProperty("failed").GetInt32());
        var affected = (await simulations.AffectedAsync(asIf, 0, 100)).Rows;
        Assert.Equal([invoice, note], affected.Select(d => d.DocumentId).Order().ToArray());
        var invoiceRow = affected.Single(d => d.DocumentId == invoice);
        Assert.Equal((65m, 70m), (invoiceRow.Before.Contribution, invoiceRow.After.Contribution));
        var noteRow = affected.Single(d => d.DocumentId == note);
        Assert.Equal((-400m, -26m, -28m), (noteRow.Before.Net, noteRow.Before.Contribution, noteRow.After.Contribution));
        var simulation = (await simulations.GetAsync(asIf))!;
        Assert.Equal(new DateOnly(2026, 1, 1), simulation.AsIfInForceFrom);
        Assert.Equal(3m, simulation.Months.Sum(m => m.ContributionAfter - m.ContributionBefore));
        // The note's own page shows it as the simulation counted it: evaluated, negative, on both sides.
        var drill = await officer.GetPageAsync($"/Rules/Simulations/{asIf}/Document?kind=invoice&id={note}");
        Assert.Null(drill.QuerySelector("[data-field=error]"));
        Assert.Equal("0.07", drill.QuerySelector("#trace-after [data-field=contribution]")!.GetAttribute("data-rate"));
        Assert.Contains("-", drill.QuerySelector("#trace-after [data-field=net]")!.TextContent, StringComparison.Ordinal);
        var page = await officer.GetPageAsync($"/Rules/Simulations/{asIf}");
        Assert.Equal("2026-01-01", page.QuerySelector("[data-field=as-if-in-force]")!.GetAttribute("data-day"));
    }

    [Fact]
    public async Task A_draft_that_changes_no_value_cannot_be_simulated_as_if_in_force_and_says_so_on_the_option()
    {
        var rules = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await rules.InForceAsync(Key))!;
        var draft = await rules.AddDraftAsync(Key, "BE", "contribution", inForce.Text, inForce.Id, new AuditActor("compliance@smart.coop"));
        using var officer = await Browser.SignedInAsync(app, "compliance@smart.coop");
        var start = await officer.GetPageAsync($"/Rules/Simulations/Start/{draft.Id}");

        var response = await officer.SubmitAsync(start.Forms["simulation-form"]!, ("Data.From", "2026-01-01"), ("Data.To", "2026-12-31"), ("Data.AsIfInForce", "true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(page.QuerySelector("[data-valmsg-for='Data.AsIfInForce']")!.TextContent));
    }
}
