using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Plugins;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Invoices;

/// <summary>The invoice as it is sent: A4, the seller's and the client's legal identity, the mentions and the payment reference.</summary>
public class PrintModel(IMediator mediator) : PageModel
{
    public Result Invoice { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Invoice = await mediator.Send(new Query(id));

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>The legal entity that issues the invoice, as printed: a field left null is not printed.</summary>
    public sealed record Seller(string Name, string? LegalForm, string? CompanyNumber, string? VatNumber, string? Address);

    /// <summary><paramref name="PaymentReference"/> is null for a draft: only a number makes a reference.</summary>
    public sealed record Result(Invoice Invoice, Seller Seller, Client? Client, string? PaymentReference, string Currency, int MinorUnit);

    public sealed class Handler(IInvoiceStore invoices, IClientStore clients, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            var plugin = plugins.Find(invoice.Country);
            var reference = plugin is not null && ReferenceBase(invoice.Number) is { } number ? plugin.Plugin.PaymentReference(number) : null;
            return new Result(invoice, SellerOf(plugin?.Manifest, invoice.Issuer), await clients.GetAsync(invoice.ClientId, cancellationToken), reference,
                plugin?.Manifest.Currency ?? invoice.Evaluation?.Currency ?? "EUR", plugin?.Manifest.MinorUnit ?? 2);
        }
    }

    /// <summary>
    /// The issuing entity's own identity; the cooperative's default issuer completes its missing fields from the manifest's
    /// legal identity (the two describe the same entity). Another issuer, such as Belgium's training body, is a separate legal person.
    /// </summary>
    public static Seller SellerOf(PluginManifest? manifest, string issuerId)
    {
        var issuer = manifest?.Issuers.FirstOrDefault(i => i.Id == issuerId);
        var identity = manifest?.LegalIdentity is { } legal && (issuer is null || issuer.Id == manifest.DefaultIssuer.Id) ? legal : null;
        return new Seller(issuer?.Name ?? identity?.Name ?? issuerId, issuer?.LegalForm ?? identity?.LegalForm, issuer?.CompanyNumber ?? identity?.CompanyNumber,
            issuer?.VatNumber ?? identity?.VatNumber, issuer?.Address ?? identity?.Address);
    }

    /// <summary>
    /// The number the country's payment reference is built from: year × 10^6 + the invoice's place in its country's
    /// sequence for that year (BE-2026-000042 → 2026000042), unique per country like the invoice number itself.
    /// Null for a draft or a number of another shape.
    /// </summary>
    public static long? ReferenceBase(string? number)
    {
        var parts = number?.Split('-');
        if (parts is not { Length: 3 }
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || sequence >= 1_000_000) return null;
        return year * 1_000_000L + sequence;
    }
}
