using Smart.Web.Jobs;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Rules.Simulations;

/// <summary>The English words (the resource keys) the simulation pages show for stored codes, so every language, English too, reads words.</summary>
public static class SimulationTexts
{
    public static string Status(SimulationStatus status) => status switch
    {
        SimulationStatus.Queued => "queued",
        SimulationStatus.Running => "running",
        SimulationStatus.Done => "done",
        // Not "cancelled", the contracts' word: French and Dutch agree it with a simulation, not a contract.
        SimulationStatus.Cancelled => "status:Cancelled",
        _ => "failed",
    };

    public static string Kind(string kind) => kind == SimulateImpact.Kinds.Contract ? "Contract" : "Invoice";

    /// <summary>An invoice's or a contract's stored status.</summary>
    public static string DocumentStatus(string status) => status switch
    {
        nameof(InvoiceStatus.Draft) => "draft",
        nameof(InvoiceStatus.Issued) => "issued",
        nameof(InvoiceStatus.PartlyPaid) => "partly paid",
        nameof(InvoiceStatus.Paid) => "paid",
        nameof(InvoiceStatus.CancelledByCreditNote) => "cancelled by credit note",
        nameof(ContractStatus.Confirmed) => "confirmed",
        nameof(ContractStatus.Cancelled) => "cancelled",
        _ => status,
    };
}
