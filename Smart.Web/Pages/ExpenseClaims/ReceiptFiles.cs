namespace Smart.Web.Pages.ExpenseClaims;

/// <summary>
/// The receipts a claim accepts: PDF, JPEG or PNG up to <see cref="MaxBytes"/>. The type is read from the file's first bytes and must agree
/// with its extension; the browser's content type is never believed, and the stored type is the one the bytes say, so the receipt is served
/// back only as what it really is.
/// </summary>
public static class ReceiptFiles
{
    public const long MaxBytes = 5 * 1024 * 1024;

    public const string Pdf = "application/pdf", Jpeg = "image/jpeg", Png = "image/png";

    private static readonly Dictionary<string, string> TypeOfExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = Pdf, [".jpg"] = Jpeg, [".jpeg"] = Jpeg, [".png"] = Png,
    };

    /// <summary>The type the content's signature says: %PDF-, FF D8 FF, or the PNG signature; null for anything else.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> content) =>
        content.StartsWith("%PDF-"u8) ? Pdf
        : content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? Jpeg
        : content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? Png
        : null;

    /// <summary>The type the file name's extension claims; null for an extension that is not accepted.</summary>
    public static string? TypeOfName(string fileName) => TypeOfExtension.GetValueOrDefault(Path.GetExtension(fileName));

    public static bool IsImage(string contentType) => contentType is Jpeg or Png;

    /// <summary>A name safe to send back in Content-Disposition: the uploaded name without its path, kept to letters, digits and a few signs.</summary>
    public static string SafeName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var kept = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return kept.Length == 0 ? "receipt" : kept[..Math.Min(kept.Length, 100)];
    }
}
