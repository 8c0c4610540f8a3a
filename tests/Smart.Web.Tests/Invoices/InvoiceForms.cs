using System.Globalization;
using System.Net;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Invoices;

/// <summary>The invoice form filled as a person would, for tests that need a draft dated 2026-03-15, due a month later.</summary>
public static class InvoiceForms
{
    /// <summary>Creates a draft through the form and returns its id.</summary>
    public static async Task<int> CreateDraftAsync(Browser browser, ProductionUnit unit, Client client, string issuer,
        params (string Description, string Category, string Quantity, string UnitPrice)[] lines)
    {
        var form = (await browser.GetPageAsync($"/Invoices/Create?unit={unit.Id}")).Forms["invoice-form"]!;
        var values = new List<(string, string)>
        {
            ("Data.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Date", "2026-03-15"), ("Data.DueDate", "2026-04-14"), ("Data.Issuer", issuer),
        };
        for (var i = 0; i < lines.Length; i++)
            values.AddRange([($"Data.Lines[{i}].Description", lines[i].Description), ($"Data.Lines[{i}].Category", lines[i].Category),
                ($"Data.Lines[{i}].Quantity", lines[i].Quantity), ($"Data.Lines[{i}].UnitPrice", lines[i].UnitPrice)]);
        var response = await browser.SubmitAsync(form, [.. values]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
    }
}
