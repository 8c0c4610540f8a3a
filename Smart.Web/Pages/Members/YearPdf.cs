using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using Smart.Web.EInvoicing;

namespace Smart.Web.Pages.Members;

/// <summary>The member's year page as a PDF, with the invoice PDF's library and fonts: the invoices' author rights applied and due, and the totals.</summary>
public static class YearPdf
{
    private const string Family = "DejaVu Sans";

    static YearPdf() => GlobalFontSettings.FontResolver ??= new InvoicePdf.SystemFontResolver();

    /// <param name="text">The page's texts in the reader's language (format strings are formatted here).</param>
    public static byte[] Render(YearModel.Result data, Func<string, string> text, CultureInfo culture)
    {
        using var pdf = new PdfDocument();
        var title = string.Format(culture, text("{0}: author rights {1}"), data.Member.Name, data.Year);
        pdf.Info.Title = title;
        var regular = new XFont(Family, 8);
        var bold = new XFont(Family, 8, XFontStyleEx.Bold);
        var large = new XFont(Family, 14, XFontStyleEx.Bold);
        var page = NewPage(pdf);
        var g = XGraphics.FromPdfPage(page);
        const double left = 36;
        var right = page.Width.Point - 36;
        var y = 40.0;
        string Money(decimal amount) => amount.ToString("N2", culture) + " " + data.Currency;
        void Text(string value, XFont font, double x, bool alignRight = false) =>
            g.DrawString(value, font, XBrushes.Black, new XRect(x, y, alignRight ? 0 : right - x, 11), alignRight ? XStringFormats.TopRight : XStringFormats.TopLeft);

        Text(title, large, left); y += 22;
        foreach (var line in Wrap(string.Format(culture, text("Applied: what each issued invoice withheld, from the evaluation stored when it was issued, with the rules as known then. Due: the same invoice with the rules as known on {0}. A difference is what a later publication of the law changed."),
                     data.Now.ToLocalTime().ToString("g", culture)), 150))
        {
            Text(line, regular, left); y += 11;
        }
        y += 8;
        double[] columns = [left, 130, 250, 330, 410, 490, 570, 650, right];
        string[] headers = [text("Invoice"), text("Date"), text("Author rights"), text("Lump sum") + " · " + text("Applied"), text("Lump sum") + " · " + text("Due"),
            text("Withholding") + " · " + text("Applied"), text("Withholding") + " · " + text("Due"), text("Difference"), text("Applied with")];
        void Headers()
        {
            for (var c = 0; c < headers.Length - 1; c++) Text(headers[c], bold, c < 2 ? columns[c] : columns[c + 1] - 6, alignRight: c >= 2);
            y += 14;
        }
        Headers();
        foreach (var r in data.Rows)
        {
            if (y + 24 > page.Height.Point - 36)
            {
                g.Dispose();
                page = NewPage(pdf);
                g = XGraphics.FromPdfPage(page);
                y = 40;
                Headers();
            }
            var font = r.Differs ? bold : regular;
            Text(r.Number ?? "#" + r.InvoiceId.ToString(culture), font, columns[0]);
            Text(r.Date.ToString("d", culture), regular, columns[1]);
            decimal[] amounts = [r.Applied.Amount, r.Applied.LumpSum, r.Due.LumpSum, r.Applied.Withholding, r.Due.Withholding, r.Difference.Withholding];
            for (var c = 0; c < amounts.Length; c++) Text(Money(amounts[c]), c == amounts.Length - 1 ? font : regular, columns[c + 3] - 6, alignRight: true);
            y += 10;
            var known = r.KnownOn is { } at ? string.Format(culture, text("rules as known on {0}"), at.ToLocalTime().ToString("g", culture)) : text("knowledge date not recorded");
            var versions = string.Join(", ", r.AppliedVersions.Select(v => v.StoreVersion is { } n ? $"{v.Id} {v.Version} (#{n})" : $"{v.Id} {v.Version}"));
            Text($"{text("Applied with")}: {known}; {versions}", new XFont(Family, 6.5), columns[1]);
            y += 11;
        }
        y += 4;
        g.DrawLine(XPens.Black, left, y, right, y);
        y += 4;
        Text(string.Format(culture, text("Year {0}"), data.Year), bold, left);
        decimal[] totals = [data.Applied.Amount, data.Applied.LumpSum, data.Due.LumpSum, data.Applied.Withholding, data.Due.Withholding, data.Difference.Withholding];
        for (var c = 0; c < totals.Length; c++) Text(Money(totals[c]), bold, columns[c + 3] - 6, alignRight: true);
        g.Dispose();
        using var stream = new MemoryStream();
        pdf.Save(stream);
        return stream.ToArray();
    }

    /// <summary>An A4 landscape page (also the regularisation statement's, Pages/Rules/Corrections/StatementPdf).</summary>
    internal static PdfPage NewPage(PdfDocument pdf)
    {
        var page = pdf.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        page.Orientation = PdfSharp.PageOrientation.Landscape;
        return page;
    }

    /// <summary>Lines of at most <paramref name="width"/> characters, broken between words.</summary>
    internal static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length + word.Length + 1 > width && line.Length > 0)
            {
                yield return line;
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }
}
