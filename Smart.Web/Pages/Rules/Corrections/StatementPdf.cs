using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using Smart.Web.EInvoicing;
using Smart.Web.Pages.Members;

namespace Smart.Web.Pages.Rules.Corrections;

/// <summary>
/// A regularisation statement as a PDF, with the member's year PDF's library and fonts: per invoice the withholding and lump sum applied and
/// due and the difference, the rule-set versions on both sides with their publication dates, the totals, and the law the rule files cite.
/// </summary>
public static class StatementPdf
{
    private const string Family = "DejaVu Sans";

    static StatementPdf() => GlobalFontSettings.FontResolver ??= new InvoicePdf.SystemFontResolver();

    /// <param name="text">The page's texts in the statement's language (format strings are formatted here).</param>
    public static byte[] Render(StatementModel.Result data, Func<string, string> text, CultureInfo culture)
    {
        var s = data.Statement;
        using var pdf = new PdfDocument();
        var title = string.Format(culture, text("Regularisation statement {0}: {1}"), s.Year, s.Member);
        pdf.Info.Title = title;
        var regular = new XFont(Family, 8);
        var small = new XFont(Family, 6.5);
        var bold = new XFont(Family, 8, XFontStyleEx.Bold);
        var large = new XFont(Family, 14, XFontStyleEx.Bold);
        var page = YearPdf.NewPage(pdf);
        var g = XGraphics.FromPdfPage(page);
        const double left = 36;
        var right = page.Width.Point - 36;
        var y = 40.0;
        string Money(decimal amount) => amount.ToString("N2", culture) + " " + s.Currency;
        string Date(DateTime? at) => at?.ToLocalTime().ToString("d", culture) ?? "—";
        string Versions(IEnumerable<Smart.Web.Corrections.StatementVersion> versions) =>
            string.Join(", ", versions.Select(v => string.Format(culture, text("{0} {1} (#{2}, published {3})"), v.Id, v.Version, v.StoreVersion?.ToString(culture) ?? "—", Date(v.Published))));
        void Text(string value, XFont font, double x, bool alignRight = false) =>
            g.DrawString(value, font, XBrushes.Black, new XRect(x, y, alignRight ? 0 : right - x, 11), alignRight ? XStringFormats.TopRight : XStringFormats.TopLeft);
        void Break(double needed)
        {
            if (y + needed <= page.Height.Point - 36) return;
            g.Dispose();
            page = YearPdf.NewPage(pdf);
            g = XGraphics.FromPdfPage(page);
            y = 40;
        }
        void Paragraph(string value, XFont font, int width = 150)
        {
            foreach (var line in YearPdf.Wrap(value, width))
            {
                Break(12);
                Text(line, font, left);
                y += font.Size + 3;
            }
        }

        Text(title, large, left); y += 22;
        Paragraph(string.Format(culture, text("Correction run {0}, written on {1}. Country {2}, invoices issued from {3} to {4}."), data.Run.Id,
            s.WrittenAtUtc.ToLocalTime().ToString("d", culture), s.Country, data.Run.From.ToString("d", culture), data.Run.To.ToString("d", culture)), regular);
        Paragraph(text("Applied: what each invoice withheld and deducted as a lump sum, with the rules as known when it was issued. Due: the same invoice with the rules as known now, after a later publication of the law. The difference is what is regularised."), regular);
        y += 6;
        double[] columns = [left, 130, 250, 330, 410, 490, 570, 650, right];
        string[] headers = [text("Invoice"), text("Date"), text("Lump sum applied"), text("Lump sum due"), text("Difference"),
            text("Withholding applied"), text("Withholding due"), text("Difference")];
        void Headers()
        {
            for (var c = 0; c < headers.Length; c++) Text(headers[c], bold, c < 2 ? columns[c] : columns[c + 1] - 6, alignRight: c >= 2);
            y += 14;
        }
        Headers();
        foreach (var line in s.Lines)
        {
            if (y + 36 > page.Height.Point - 36)
            {
                Break(1000);
                Headers();
            }
            Text(line.Number ?? "#" + line.InvoiceId.ToString(culture), bold, columns[0]);
            Text(line.Date.ToString("d", culture), regular, columns[1]);
            decimal[] amounts = [line.Applied.LumpSum, line.Due.LumpSum, line.LumpSumDifference, line.Applied.Withholding, line.Due.Withholding, line.WithholdingDifference];
            for (var c = 0; c < amounts.Length; c++) Text(Money(amounts[c]), c is 2 or 5 ? bold : regular, columns[c + 3] - 6, alignRight: true);
            y += 10;
            Text($"{text("Applied with")}: {Versions(line.AppliedChanged)}", small, columns[1]); y += 9;
            Text($"{text("Due with")}: {Versions(line.DueChanged)}", small, columns[1]); y += 11;
        }
        y += 4;
        g.DrawLine(XPens.Black, left, y, right, y);
        y += 4;
        Text(string.Format(culture, text("Year {0}"), s.Year), bold, left);
        decimal[] totals = [s.LumpSumApplied, s.LumpSumDue, s.LumpSumDifference, s.WithholdingApplied, s.WithholdingDue, s.WithholdingDifference];
        for (var c = 0; c < totals.Length; c++) Text(Money(totals[c]), bold, columns[c + 3] - 6, alignRight: true);
        y += 20;
        Break(40);
        Text(text("Legal basis"), bold, left); y += 12;
        if (s.Citations.Count == 0) Paragraph(text("The rule files cite no source for what changed."), regular);
        foreach (var citation in s.Citations) Paragraph($"{citation.RuleSet}: {citation}", regular, 170);
        g.Dispose();
        using var stream = new MemoryStream();
        pdf.Save(stream);
        return stream.ToArray();
    }
}
