using System.Xml.Linq;
using Smart.Web.Storage;

namespace Smart.Web.EInvoicing;

/// <summary>
/// The folder transport: one folder per channel under <c>Smart:EInvoicing:OutboxDirectory</c> (default <c>&lt;data&gt;/einvoice-outbox</c>),
/// the way access-point connectors and SdI channel software pick files up:
/// <code>
/// peppol/out/      documents to send (written as .name.tmp, then renamed: a connector never sees half a file)
/// peppol/archive/  where the connector moves a file it took (a file here or in out/ counts as handed over)
/// peppol/in/       answers dropped back: Peppol MLR (UBL ApplicationResponse) for peppol, SdI RC / NS for sdi
/// peppol/in/done/  answers read; in/unmatched/ those that named no document of the outbox
/// sdi/…            the same for the SdI channel
/// </code>
/// </summary>
public sealed class FolderTransport(string root) : IEInvoiceTransport
{
    public static readonly IReadOnlyList<string> Channels = ["peppol", "sdi"];

    public string Root { get; } = root;

    public string OutFolder(string channel) => Path.Combine(Root, channel, "out");
    public string ArchiveFolder(string channel) => Path.Combine(Root, channel, "archive");
    public string InFolder(string channel) => Path.Combine(Root, channel, "in");

    public async Task<bool> HandOverAsync(OutboxEntry entry, string xml, CancellationToken cancellationToken)
    {
        var folder = OutFolder(entry.Channel);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, entry.FileName);
        if (File.Exists(target) || File.Exists(Path.Combine(ArchiveFolder(entry.Channel), entry.FileName))) return false;
        var temporary = Path.Combine(folder, $".{entry.FileName}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, xml, new System.Text.UTF8Encoding(false), cancellationToken);
        try
        {
            // Atomic on one file system; refuses to overwrite, so a concurrent writer of the same name loses here.
            File.Move(temporary, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(temporary);
            return false;
        }
    }

    public IReadOnlyList<DeliveryReceipt> PendingReceipts()
    {
        var found = new List<DeliveryReceipt>();
        foreach (var channel in Channels)
        {
            var folder = InFolder(channel);
            if (!Directory.Exists(folder)) continue;
            foreach (var path in Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal))
            {
                try
                {
                    found.Add(Read(channel, path, XDocument.Load(path)));
                }
                catch (System.Xml.XmlException)
                {
                    found.Add(new DeliveryReceipt(channel, null, null, false, null, path));
                }
            }
        }
        return found;
    }

    public void Done(DeliveryReceipt receipt, bool matched)
    {
        var folder = Path.Combine(Path.GetDirectoryName(receipt.Source)!, matched ? "done" : "unmatched");
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(receipt.Source));
        File.Move(receipt.Source, File.Exists(target) ? Path.Combine(folder, $"{Guid.NewGuid():N}-{Path.GetFileName(receipt.Source)}") : target);
    }

    /// <summary>
    /// The answers read, by element local names (namespaces vary between connectors):
    /// <list type="bullet">
    /// <item>Peppol MLR, <c>ApplicationResponse</c>: <c>DocumentResponse/DocumentReference/ID</c> the invoice number,
    /// <c>DocumentResponse/Response/ResponseCode</c> AP or AB delivered, RE rejected; the reason is every <c>Description</c> and
    /// <c>StatusReason</c> under it, joined.</item>
    /// <item>SdI <c>RicevutaConsegna</c> (RC): <c>NomeFile</c> delivered. <c>NotificaScarto</c> (NS): <c>NomeFile</c> rejected, the reason
    /// each <c>ListaErrori/Errore</c> as "Codice Descrizione".</item>
    /// </list>
    /// </summary>
    public static DeliveryReceipt Read(string channel, string source, XDocument xml)
    {
        var root = xml.Root!;
        IEnumerable<XElement> Named(XElement e, string name) => e.Descendants().Where(d => d.Name.LocalName == name);
        string? First(XElement e, string name) => Named(e, name).FirstOrDefault()?.Value.Trim();
        switch (root.Name.LocalName)
        {
            case "ApplicationResponse":
                var response = Named(root, "DocumentResponse").FirstOrDefault() ?? root;
                var number = Named(response, "DocumentReference").Select(r => r.Elements().FirstOrDefault(c => c.Name.LocalName == "ID")?.Value.Trim()).FirstOrDefault();
                var code = Named(response, "Response").Select(r => r.Elements().FirstOrDefault(c => c.Name.LocalName == "ResponseCode")?.Value.Trim()).FirstOrDefault();
                var reasons = Named(response, "Description").Concat(Named(response, "StatusReason")).Select(d => d.Value.Trim()).Where(t => t.Length > 0).ToList();
                return new DeliveryReceipt(channel, number, null, code is "AP" or "AB", reasons.Count > 0 ? string.Join(" ", reasons) : code, source);
            case "RicevutaConsegna":
                return new DeliveryReceipt(channel, null, First(root, "NomeFile"), true, null, source);
            case "NotificaScarto":
                var errors = Named(root, "Errore").Select(e => $"{First(e, "Codice")} {First(e, "Descrizione")}".Trim()).ToList();
                return new DeliveryReceipt(channel, null, First(root, "NomeFile"), false, errors.Count > 0 ? string.Join(" ", errors) : "NS", source);
            default:
                return new DeliveryReceipt(channel, null, null, false, null, source);
        }
    }
}
