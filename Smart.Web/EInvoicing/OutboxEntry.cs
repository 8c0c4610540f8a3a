using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.EInvoicing;

/// <summary>Where an issued e-invoice is on its way to the client.</summary>
public enum OutboxStatus
{
    /// <summary>Made and stored at issuing; not yet given to the channel.</summary>
    Generated,
    /// <summary>Written to the channel's folder; its connector sends it.</summary>
    HandedOver,
    /// <summary>The channel acknowledged delivery (Peppol MLR AP/AB, SdI RC).</summary>
    Delivered,
    /// <summary>The channel rejected it (Peppol MLR RE, SdI NS), with the reason.</summary>
    Rejected,
}

/// <summary>
/// One issued e-invoice in the outbox, keyed by its invoice. <see cref="Attempt"/> counts hand-overs asked for: a retry of a rejected
/// document is a new attempt under a new file name, so a file once written is never written again.
/// </summary>
public sealed record OutboxEntry(int InvoiceId, string Number, string Country, string Channel, string Format, string BaseFileName,
    OutboxStatus Status, int Attempt, DateTime GeneratedAt, DateTime? HandedOverAt = null, DateTime? AnsweredAt = null, string? Reason = null)
{
    /// <summary>The Peppol access point for UBL, the SdI for FatturaPA.</summary>
    public static string ChannelOf(string format) => format == "fatturapa" ? "sdi" : "peppol";

    /// <summary>The entry of an e-invoice just issued, stored in the issuing transaction; null when it has no e-invoice (a PDF only).</summary>
    public static OutboxEntry? Generated(Invoice issued, InvoiceFiles files, DateTime now) =>
        files is { Xml: not null, Format: { } format, XmlFileName: { } name }
            ? new OutboxEntry(issued.Id, issued.Number!, issued.Country, ChannelOf(format), format, name, OutboxStatus.Generated, 1, now)
            : null;

    /// <summary>The file of this attempt: the format's own name first, then <c>name-r2.xml</c>, <c>name-r3.xml</c>…</summary>
    public string FileName => Attempt <= 1 ? BaseFileName : $"{Path.GetFileNameWithoutExtension(BaseFileName)}-r{Attempt}{Path.GetExtension(BaseFileName)}";
}

/// <summary>A filter of the outbox page, newest first; <see cref="Page"/> counts from 1.</summary>
public sealed record OutboxQuery(CountryScope Scope, OutboxStatus? Status = null, string? Country = null, int Page = 1, int Take = 50);

public interface IOutboxStore
{
    Task<OutboxEntry?> GetAsync(int invoiceId, CancellationToken cancellationToken = default);
    Task<SearchResult<OutboxEntry>> SearchAsync(OutboxQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<OutboxEntry>> WithStatusAsync(OutboxStatus status, CancellationToken cancellationToken = default);

    /// <summary>Generated → handed over, for this attempt only; false when it changed meanwhile.</summary>
    Task<bool> MarkHandedOverAsync(int invoiceId, int attempt, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Handed over → delivered or rejected with its reason.</summary>
    Task<bool> AnswerAsync(int invoiceId, int attempt, bool delivered, string? reason, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Rejected → generated again as the next attempt; false unless it was rejected.</summary>
    Task<bool> RetryAsync(int invoiceId, CancellationToken cancellationToken = default);
}
