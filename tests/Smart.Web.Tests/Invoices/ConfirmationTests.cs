using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>
/// Issue 15, item 3: issuing and crediting ask first. The buttons open a dialog (confirm-dialog.js); without JavaScript they link to the
/// page with that dialog open, and only the dialog's own form issues or credits.
/// </summary>
public class ConfirmationTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Issue_and_credit_note_are_asked_for_in_a_dialog_that_holds_the_only_form_doing_them()
    {
        var belgium = CountryScope.Only("BE");
        var unit = (await app.Services.GetRequiredService<IProductionUnitStore>().SearchAsync(new ProductionUnitQuery(belgium) { Status = ProductionUnitStatus.Active, Take = 1 })).Rows[0];
        var client = (await app.Services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(belgium) { Take = 1 })).Rows[0];
        using var staff = await Browser.SignedInAsync(app, "staff@smart.coop");
        var id = await InvoiceForms.CreateDraftAsync(staff, unit, client, "smartcoop", ("Workshop", "service", "1", "300"));

        var draft = await staff.GetPageAsync($"/Invoices/Details/{id}");
        Assert.Equal($"/Invoices/Details/{id}?confirm=issue", draft.QuerySelector("#issue")!.GetAttribute("href"));
        Assert.Equal("issue-dialog", draft.QuerySelector("#issue")!.GetAttribute("data-opens"));
        Assert.False(draft.QuerySelector("#issue-dialog")!.HasAttribute("open"));
        Assert.Same(draft.QuerySelector("#issue-dialog"), draft.QuerySelector("#issue-form")!.Closest("dialog"));

        // The confirmation step without JavaScript: the same page, its dialog open.
        var confirming = await staff.GetPageAsync($"/Invoices/Details/{id}?confirm=issue");
        Assert.True(confirming.QuerySelector("#issue-dialog")!.HasAttribute("open"));
        Assert.Equal(InvoiceStatus.Draft, (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(confirming.Forms["issue-form"]!)).StatusCode);
        Assert.Equal(InvoiceStatus.Issued, (await app.Services.GetRequiredService<IInvoiceStore>().GetAsync(id))!.Status);

        var issued = await staff.GetPageAsync($"/Invoices/Details/{id}");
        Assert.Null(issued.QuerySelector("#issue-dialog"));
        Assert.False(issued.QuerySelector("#credit-dialog")!.HasAttribute("open"));
        Assert.Same(issued.QuerySelector("#credit-dialog"), issued.QuerySelector("#credit-form")!.Closest("dialog"));
        Assert.True((await staff.GetPageAsync($"/Invoices/Details/{id}?confirm=credit")).QuerySelector("#credit-dialog")!.HasAttribute("open"));
        // An unknown step opens nothing.
        Assert.False((await staff.GetPageAsync($"/Invoices/Details/{id}?confirm=everything")).QuerySelector("#credit-dialog")!.HasAttribute("open"));
    }
}
