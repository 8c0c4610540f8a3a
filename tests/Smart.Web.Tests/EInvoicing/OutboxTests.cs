using System.Globalization;
using System.Net;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.EInvoicing;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.EInvoicing;

/// <summary>The outbox: issuing queues the e-invoice, the job hands each file over once across runs and restarts, answers update it.</summary>
public class OutboxTests
{
    /// <summary>The recurring run never fires by itself here: the tests run the request and count what it did.</summary>

    private static async Task<(int Id, string Number)> IssueBelgianAsync(SmartWebFactory app)
    {
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>()
            .SearchAsync(new ProductionUnitQuery(CountryScope.Only("BE")) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.Only("BE")) { Kind = ClientKind.Business, Take = 50 }))
            .Rows.First(c => c.VatNumber is not null);
        var form = (await staff.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var created = await staff.SubmitAsync(form, ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15"),
            ("Data.DueDate", "2026-04-14"), ("Data.Issuer", "smartcoop"), ("Data.Lines[0].Description", "Set design"), ("Data.Lines[0].Category", "service"),
            ("Data.Lines[0].Quantity", "1"), ("Data.Lines[0].UnitPrice", "500"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = int.Parse(created.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((await staff.GetPageAsync($"/Invoices/Details/{id}")).Forms["issue-form"]!)).StatusCode);
        var invoice = (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!;
        Assert.Equal(InvoiceStatus.Issued, invoice.Status);
        return (id, invoice.Number!);
    }

    private static async Task<DeliverEInvoices.Result> RunAsync(SmartWebFactory app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeliverEInvoices.Command());
    }

    private static FolderTransport Transport(SmartWebFactory app) => (FolderTransport)app.Services.GetRequiredService<IEInvoiceTransport>();

    private static string[] OutFiles(SmartWebFactory app) => Directory.GetFiles(Transport(app).OutFolder("peppol"), "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Issuing_puts_the_e_invoice_in_the_outbox_and_two_runs_write_its_file_once()
    {
        using var app = SmartWebFactory.WithSettings(SmartWebFactory.NoDelivery);
        var (id, number) = await IssueBelgianAsync(app);
        var entry = await app.Services.GetRequiredService<IOutboxStore>().GetAsync(id);
        Assert.Equal(OutboxStatus.Generated, entry!.Status);
        Assert.Equal("peppol", entry.Channel);
        Assert.Equal(number, entry.Number);

        var first = await RunAsync(app);
        var second = await RunAsync(app);

        Assert.Equal((1, 1), (first.Written, first.HandedOver));
        Assert.Equal((0, 0), (second.Written, second.HandedOver));
        var file = Assert.Single(OutFiles(app));
        Assert.Equal((await app.Services.GetRequiredService<IInvoiceStore>().FilesAsync(id))!.Xml, await File.ReadAllTextAsync(file));
        Assert.Equal(OutboxStatus.HandedOver, (await app.Services.GetRequiredService<IOutboxStore>().GetAsync(id))!.Status);
    }

    [Fact]
    public async Task A_run_stopped_after_writing_the_file_does_not_write_it_again_after_a_restart_on_the_same_data()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            int id;
            using (var before = SmartWebFactory.OnDataDirectory(data, SmartWebFactory.NoDelivery))
            {
                (id, _) = await IssueBelgianAsync(before);
                // The run wrote the file, then the process stopped before the outbox recorded it.
                var entry = (await before.Services.GetRequiredService<IOutboxStore>().GetAsync(id))!;
                var xml = (await before.Services.GetRequiredService<IInvoiceStore>().FilesAsync(id))!.Xml!;
                Assert.True(await Transport(before).HandOverAsync(entry, xml, CancellationToken.None));
                Assert.Equal(OutboxStatus.Generated, (await before.Services.GetRequiredService<IOutboxStore>().GetAsync(id))!.Status);
            }

            using var after = SmartWebFactory.OnDataDirectory(data, SmartWebFactory.NoDelivery);
            var resumed = await RunAsync(after);
            var again = await RunAsync(after);

            Assert.Equal((0, 1), (resumed.Written, resumed.HandedOver));
            Assert.Equal((0, 0), (again.Written, again.HandedOver));
            Assert.Single(OutFiles(after));
            Assert.Equal(OutboxStatus.HandedOver, (await after.Services.GetRequiredService<IOutboxStore>().GetAsync(id))!.Status);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task A_rejection_dropped_back_shows_its_reason_and_retry_hands_it_over_again_under_a_new_name()
    {
        using var app = SmartWebFactory.WithSettings(SmartWebFactory.NoDelivery);
        var (id, number) = await IssueBelgianAsync(app);
        await RunAsync(app);
        var inbox = Transport(app).InFolder("peppol");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "mlr-1.xml"), $"""
            <ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
              xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
              xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
              <cac:DocumentResponse>
                <cac:Response><cbc:ResponseCode>RE</cbc:ResponseCode><cbc:Description>Unknown buyer reference</cbc:Description></cac:Response>
                <cac:DocumentReference><cbc:ID>{number}</cbc:ID></cac:DocumentReference>
              </cac:DocumentResponse>
            </ApplicationResponse>
            """);

        var answered = await RunAsync(app);

        Assert.Equal(1, answered.Answered);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var page = await staff.GetPageAsync("/Invoices/Outbox?status=Rejected");
        var row = page.QuerySelector($"#outbox tr[data-invoice='{id}']")!;
        Assert.Equal("Rejected", row.GetAttribute("data-status"));
        Assert.Contains("Unknown buyer reference", row.QuerySelector(".reason")!.TextContent);

        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync((AngleSharp.Html.Dom.IHtmlFormElement)row.QuerySelector("form.retry-form")!)).StatusCode);
        var retried = await RunAsync(app);

        Assert.Equal((1, 1), (retried.Written, retried.HandedOver));
        Assert.Equal(2, OutFiles(app).Length);
        Assert.Equal(OutboxStatus.HandedOver, (await app.Services.GetRequiredService<IOutboxStore>().GetAsync(id))!.Status);
    }

    [Fact]
    public async Task The_outbox_counts_what_its_filter_matches_and_pages_newest_first()
    {
        using var app = SmartWebFactory.WithSettings(SmartWebFactory.NoDelivery);
        var first = await IssueBelgianAsync(app);
        var second = await IssueBelgianAsync(app);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");

        var generated = await staff.GetPageAsync("/Invoices/Outbox?status=Generated&country=BE");
        Assert.Equal([second.Id, first.Id], generated.QuerySelectorAll("#outbox tr[data-invoice]").Select(r => int.Parse(r.GetAttribute("data-invoice")!)));
        Assert.StartsWith("2 ", generated.QuerySelector("#total")!.TextContent.Trim());
        Assert.Null(generated.QuerySelector("#pager"));

        var delivered = await staff.GetPageAsync("/Invoices/Outbox?status=Delivered");
        Assert.StartsWith("0 ", delivered.QuerySelector("#total")!.TextContent.Trim());
        Assert.Empty((await staff.GetPageAsync("/Invoices/Outbox?status=Generated&page=2")).QuerySelectorAll("#outbox tr[data-invoice]"));
    }

    [Fact]
    public async Task A_partner_administrator_of_another_country_does_not_see_a_Belgian_e_invoice()
    {
        using var app = SmartWebFactory.WithSettings(SmartWebFactory.NoDelivery);
        var (id, _) = await IssueBelgianAsync(app);
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        Assert.NotNull((await staff.GetPageAsync("/Invoices/Outbox")).QuerySelector($"#outbox tr[data-invoice='{id}']"));

        using var partner = await Browser.SignedInAsync(app, "partner.fr@smart.coop");
        var page = await partner.GetPageAsync("/Invoices/Outbox?country=BE");

        Assert.Null(page.QuerySelector($"#outbox tr[data-invoice='{id}']"));
    }

    [Fact]
    public async Task The_API_returns_the_stored_XML_to_a_key_of_its_country_403_to_another_and_404_for_an_unknown_number()
    {
        using var app = SmartWebFactory.WithSettings(SmartWebFactory.NoDelivery);
        var (id, number) = await IssueBelgianAsync(app);
        var stored = (await app.Services.GetRequiredService<IInvoiceStore>().FilesAsync(id))!.Xml;

        using var belgian = app.ClientWithKey(await app.IssueKeyAsync("be", ["BE"]));
        var ok = await belgian.GetAsync($"/api/v1/invoices/{number}/einvoice");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/xml", ok.Content.Headers.ContentType!.MediaType);
        Assert.Equal(stored, await ok.Content.ReadAsStringAsync());

        using var french = app.ClientWithKey(await app.IssueKeyAsync("fr", ["FR"]));
        var refused = await french.GetAsync($"/api/v1/invoices/{number}/einvoice");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);

        var missing = await belgian.GetAsync("/api/v1/invoices/BE-1999-999999/einvoice");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);

        using var anonymous = app.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/invoices/{number}/einvoice")).StatusCode);
    }
}
