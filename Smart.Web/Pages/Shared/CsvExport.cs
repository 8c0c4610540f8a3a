using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Smart.Web.Pages.Shared;

/// <summary>
/// Every list's CSV export, written one way: stable English column names, invariant numbers and ISO dates, rows streamed as the
/// store reads them, and no cell a spreadsheet would run as a formula (OWASP CSV injection: text starting with = + - @, tab or
/// CR gets a leading single quote).
/// </summary>
public static class CsvExport
{
    // Only text is escaped: numbers and dates the app formats itself (a credit note's -12.50) stay numbers a spreadsheet adds up,
    // so every amount must be written as a number, never as its text.
    public static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        FormatProvider = CultureInfo.InvariantCulture,
        Injection = CsvInjection.Escape,
    };

    /// <summary>A download named <c>{name}-{yyyy-MM-dd}.csv</c> (the server's today) with <paramref name="columns"/> as its header and one line per row.</summary>
    public static IActionResult File<T>(string name, TimeProvider clock, IReadOnlyList<string> columns, IAsyncEnumerable<T> rows, Action<CsvWriter, T> writeRow)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        return new Result<T>($"{name}-{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv", columns, rows, writeRow);
    }

    /// <summary>Writes the CSV into a stream: the file's body, and what the tests call directly.</summary>
    public static async Task WriteAsync<T>(Stream stream, IReadOnlyList<string> columns, IAsyncEnumerable<T> rows, Action<CsvWriter, T> writeRow,
        CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        csv.WriteHeader(columns.ToArray());
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            writeRow(csv, row);
            await csv.EndRecordAsync(cancellationToken);
        }
    }

    private sealed class Result<T>(string fileName, IReadOnlyList<string> columns, IAsyncEnumerable<T> rows, Action<CsvWriter, T> writeRow) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.ContentType = "text/csv; charset=utf-8";
            response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
            return WriteAsync(response.Body, columns, rows, writeRow, context.HttpContext.RequestAborted);
        }
    }
}
