using Smart.Web.Storage;

namespace Smart.Web.EInvoicing;

/// <summary>An answer of the channel about one document: delivered, or rejected with the reason.</summary>
/// <param name="Channel">peppol or sdi.</param>
/// <param name="Number">The invoice number it answers (Peppol MLR), or null.</param>
/// <param name="FileName">The file name it answers (SdI RC/NS), or null.</param>
/// <param name="Source">What the transport needs to set the answer aside once recorded (the receipt file's path).</param>
public sealed record DeliveryReceipt(string Channel, string? Number, string? FileName, bool Delivered, string? Reason, string Source);

/// <summary>
/// How e-invoices leave the intranet and how answers come back. Hand-over must be idempotent: handing over a document that the
/// channel already holds (a run that stopped between writing and recording) does nothing and still succeeds.
/// </summary>
public interface IEInvoiceTransport
{
    /// <summary>Gives the channel this attempt's document; true when it was written now, false when the channel already had it.</summary>
    Task<bool> HandOverAsync(OutboxEntry entry, string xml, CancellationToken cancellationToken);

    /// <summary>The answers waiting, oldest first.</summary>
    IReadOnlyList<DeliveryReceipt> PendingReceipts();

    /// <summary>Sets a recorded (or unmatched) answer aside so it is read once.</summary>
    void Done(DeliveryReceipt receipt, bool matched);
}
