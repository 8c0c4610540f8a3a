using System.Net;
using CsvHelper;

namespace Smart.Web.Tests;

/// <summary>A list's CSV export as a browser downloads it: its file name, its header and its rows by column.</summary>
public sealed record CsvDownload(string Disposition, IReadOnlyList<string> Header, List<Dictionary<string, string?>> Rows);

public static class CsvDownloads
{
    /// <summary>GETs an export that must answer 200 as text/csv and reads it.</summary>
    public static async Task<CsvDownload> DownloadCsvAsync(this Browser browser, string url)
    {
        var response = await browser.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        using var reader = CsvReader.FromText(await response.Content.ReadAsStringAsync());
        var rows = new List<Dictionary<string, string?>>();
        while (reader.Read()) rows.Add(reader.Current.ToDictionary());
        return new(response.Content.Headers.ContentDisposition?.ToString() ?? "", reader.Headers.ToList(), rows);
    }
}
