using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using Smart.Rules.EInvoicing;

namespace Smart.Web.EInvoicing;

/// <summary>
/// The invoice as a PDF, with the printable page's content: parties, dates, lines, VAT breakdown, totals, mentions and payment
/// reference. Embedded in the e-invoice as its visual representation (BT-125) and downloadable beside it.
/// </summary>
public static class InvoicePdf
{
    private const string Family = "DejaVu Sans";

    static InvoicePdf() => GlobalFontSettings.FontResolver ??= new SystemFontResolver();

    /// <param name="text">The printable page's texts in the reader's language.</param>
    public static byte[] Render(EInvoiceDocument d, Func<string, string> text, CultureInfo culture, bool demoSeller)
    {
        using var pdf = new PdfDocument();
        pdf.Info.Title = d.Number;
        pdf.Info.Author = d.Seller.Name;
        var regular = new XFont(Family, 9);
        var bold = new XFont(Family, 9, XFontStyleEx.Bold);
        var title = new XFont(Family, 16, XFontStyleEx.Bold);
        var page = pdf.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        var g = XGraphics.FromPdfPage(page);
        const double left = 42, right = 553;
        var y = 48.0;

        void NewPageIfNeeded(double needed)
        {
            if (y + needed < page.Height.Point - 48) return;
            g.Dispose();
            page = pdf.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            g = XGraphics.FromPdfPage(page);
            y = 48;
        }
        void Line(string value, XFont font, double x, double? at = null, bool alignRight = false)
        {
            var format = alignRight ? XStringFormats.TopRight : XStringFormats.TopLeft;
            g.DrawString(value, font, XBrushes.Black, new XRect(x, at ?? y, alignRight ? 0 : right - x, 12), format);
        }
        string Money(decimal amount) => amount.ToString("N2", culture) + " " + d.Currency;
        string Percent(decimal rate) => (rate * 100).ToString("0.##", culture) + " %";

        // Parties, side by side.
        var partyTop = y;
        foreach (var (party, x, isSeller) in new[] { (d.Seller, left, true), (d.Buyer, 320.0, false) })
        {
            y = partyTop;
            Line(party.Name, bold, x); y += 12;
            foreach (var row in new[]
            {
                party.LegalForm, party.Address.Street, string.Join(' ', new[] { party.Address.PostalCode, party.Address.City }.Where(v => !string.IsNullOrWhiteSpace(v))),
                party.Address.Country,
                party.CompanyNumber is null ? null : $"{text("Company number")}: {party.CompanyNumber}",
                party.VatNumber is null ? null : $"{text("VAT number")}: {party.VatNumber}",
                isSeller && demoSeller ? text("Demo identity: these numbers identify nobody.") : null,
            })
                if (!string.IsNullOrWhiteSpace(row)) { Line(row, regular, x); y += 11; }
        }
        y = Math.Max(y, partyTop + 90) + 10;

        var heading = string.Format(culture, text(d.Kind == EInvoiceKind.CreditNote ? "Credit note {0}" : "Invoice {0}"), d.Number);
        Line(heading, title, left); y += 24;
        Line($"{text("Date")}: {d.IssueDate.ToString("d", culture)}", regular, left); y += 12;
        if (d.DueDate is { } due) { Line($"{text("Due date")}: {due.ToString("d", culture)}", regular, left); y += 12; }
        if (d.Preceding is { } preceding) { Line($"{text("Credit note for")}: {preceding.Number} ({preceding.Date.ToString("d", culture)})", regular, left); y += 12; }
        y += 10;

        // Lines.
        double[] columns = [left, 270, 330, 400, 460, right];
        string[] headers = [text("Description"), text("Quantity"), text("Unit price"), text("Net"), text("VAT rate"), text("VAT")];
        for (var c = 0; c < headers.Length; c++) Line(headers[c], bold, columns[c] + (c == 0 ? 0 : 0), alignRight: c > 0);
        y += 14;
        foreach (var l in d.Lines)
        {
            NewPageIfNeeded(14);
            Line(l.Description.Length > 48 ? l.Description[..47] + "…" : l.Description, regular, columns[0]);
            Line(l.Quantity.ToString("0.###", culture), regular, columns[1], alignRight: true);
            Line(Money(l.UnitPrice), regular, columns[2], alignRight: true);
            Line(Money(l.Net), regular, columns[3], alignRight: true);
            Line(l.Vat.Category == "O" ? "—" : Percent(l.VatRate), regular, columns[4], alignRight: true);
            Line(l.Vat.Category, regular, columns[5], alignRight: true);
            y += 12;
        }
        y += 10;

        // VAT breakdown and totals.
        NewPageIfNeeded(40 + 12 * d.VatGroups.Count);
        Line(text("VAT breakdown"), bold, left); y += 13;
        foreach (var group in d.VatGroups)
        {
            Line($"{group.Code.Category} {(group.Code.Category == "O" ? "" : Percent(group.Rate))} {group.Code.ExemptionCode}", regular, left);
            Line(Money(group.Base), regular, 400, alignRight: true);
            Line(Money(group.Vat), regular, right, alignRight: true);
            y += 12;
        }
        y += 6;
        foreach (var (label, amount, font) in new[] { (text("Net"), d.Net, regular), (text("VAT"), d.Vat, regular), (text("Total due"), d.Gross, bold) })
        {
            Line(label, font, 400); Line(Money(amount), font, right, alignRight: true); y += 13;
        }
        y += 8;

        foreach (var mention in d.Notes)
        {
            NewPageIfNeeded(12);
            Line("• " + mention, regular, left); y += 12;
        }
        if (d.PaymentReference is { } reference)
        {
            NewPageIfNeeded(30);
            y += 6;
            Line($"{text("Payment reference")}: {reference}", bold, left); y += 12;
            if (d.Iban is { } iban) { Line($"IBAN {iban}" + (d.Bic is { } bic ? $" · BIC {bic}" : ""), regular, left); y += 12; }
        }
        g.Dispose();
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>
    /// DejaVu Sans from the system's fonts (Debian's fonts-dejavu-core, which ./run.sh and ./test.sh install when missing): PDFsharp
    /// finds no fonts by itself outside Windows, and DejaVu covers every language the intranet prints.
    /// </summary>
    internal sealed class SystemFontResolver : IFontResolver
    {
        private static readonly string[] Folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"];

        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[] GetFont(string faceName)
        {
            foreach (var folder in Folders)
                if (Path.Combine(folder, faceName + ".ttf") is var path && File.Exists(path)) return File.ReadAllBytes(path);
            throw new FileNotFoundException($"The font {faceName}.ttf is not installed (Debian: fonts-dejavu-core).");
        }
    }
}
