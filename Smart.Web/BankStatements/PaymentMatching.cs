using System.Text.RegularExpressions;
using Smart.Rules.Plugins;
using Smart.Web.Pages.Invoices;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.BankStatements;

/// <summary>What matching found for money received: the invoice it pays and by which rule, or why it waits for a person.</summary>
public sealed record PaymentMatch(Invoice? Invoice, MatchRule? Rule, WaitingReason? Waiting);

/// <summary>
/// Pins received payments on a country's open invoices, in the order a person would look: the reference printed on the invoice (the
/// country plugin's structured communication or creditor reference), then the invoice's number written in the communication, then the one
/// open invoice of exactly that amount whose client bears the payer's name. Anything less certain waits for a person. Balances are kept
/// as payments are matched, so two lines of one statement cannot both pay the same balance.
/// </summary>
public sealed partial class PaymentMatching
{
    private readonly string currency;
    private readonly Dictionary<string, Invoice> byReference = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invoice> byNumber = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, decimal> balances = [];
    private readonly IReadOnlyDictionary<int, Client> clients;
    private readonly List<Invoice> open;

    private PaymentMatching(string currency, List<Invoice> open, IReadOnlyDictionary<int, Client> clients, ICountryPlugin? plugin)
    {
        (this.currency, this.open, this.clients) = (currency, open, clients);
        foreach (var invoice in open)
        {
            balances[invoice.Id] = invoice.BalanceDue;
            if (invoice.Number is not { } number) continue;
            byNumber[number] = invoice;
            if (plugin is not null && PrintModel.ReferenceBase(number) is { } referenceBase) byReference[Compact(plugin.PaymentReference(referenceBase))] = invoice;
        }
    }

    public static async Task<PaymentMatching> ForAsync(string country, IInvoiceStore invoices, IClientStore clientStore, PluginCatalog plugins,
        CancellationToken cancellationToken)
    {
        var open = await invoices.OpenAsync(CountryScope.Only(country), cancellationToken).ToListAsync(cancellationToken);
        var clients = await clientStore.GetManyAsync([.. open.Select(i => i.ClientId).Distinct()], cancellationToken);
        var plugin = plugins.Find(country);
        return new PaymentMatching(plugin?.Manifest.Currency ?? "EUR", open, clients, plugin?.Plugin);
    }

    /// <summary>The match for one movement received (a positive amount); a match lowers that invoice's balance for the next movements.</summary>
    public PaymentMatch Match(StatementMovement movement)
    {
        if (!string.Equals(movement.Currency, currency, StringComparison.OrdinalIgnoreCase)) return new(null, null, WaitingReason.OtherCurrency);
        Invoice invoice;
        MatchRule rule;
        if (ByReference(movement) is { } referenced) (invoice, rule) = (referenced, MatchRule.Reference);
        else if (ByNumber(movement) is { } numbered) (invoice, rule) = (numbered, MatchRule.InvoiceNumber);
        else
        {
            var named = ByAmountAndClient(movement);
            if (named.Count > 1) return new(null, null, WaitingReason.SeveralInvoices);
            if (named.Count == 0) return new(null, null, WaitingReason.NoMatch);
            (invoice, rule) = (named[0], MatchRule.AmountAndClient);
        }
        if (movement.Amount > balances[invoice.Id]) return new(invoice, null, WaitingReason.MoreThanDue);
        balances[invoice.Id] -= movement.Amount;
        return new(invoice, rule, null);
    }

    private Invoice? ByReference(StatementMovement movement) =>
        movement.Reference is { } reference && byReference.GetValueOrDefault(Compact(reference)) is { } invoice ? invoice
        // Payers often type the structured communication into the free text.
        : StructuredInText().Matches(movement.Communication).Select(m => byReference.GetValueOrDefault(Compact(m.Value))).FirstOrDefault(i => i is not null);

    private Invoice? ByNumber(StatementMovement movement) =>
        InvoiceNumberInText().Matches(movement.Communication).Select(m => byNumber.GetValueOrDefault(m.Value)).FirstOrDefault(i => i is not null);

    private List<Invoice> ByAmountAndClient(StatementMovement movement)
    {
        if (movement.CounterpartyName is not { } payer || Compact(payer) is not { Length: >= 3 } name) return [];
        return [.. open.Where(i => balances[i.Id] == movement.Amount && clients.GetValueOrDefault(i.ClientId) is { } client
            && (Compact(client.Name) is var clientName && clientName.Length >= 3 && (clientName.Contains(name, StringComparison.Ordinal) || name.Contains(clientName, StringComparison.Ordinal))))];
    }

    /// <summary>Letters and digits only, upper case: how references and names are compared, whatever the spaces, slashes and plus signs.</summary>
    private static string Compact(string text) => new([.. text.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant)]);

    // +++123/4567/89012+++ or ***…***, or an RF creditor reference, as typed in free text.
    [GeneratedRegex(@"[+*]{3}\s*\d{3}\s*/\s*\d{4}\s*/\s*\d{5}\s*[+*]{3}|\bRF\d{2}(?:\s?[0-9A-Z]{1,4}){1,6}\b", RegexOptions.IgnoreCase)]
    private static partial Regex StructuredInText();

    // The intranet's invoice numbers: BE-2026-000123.
    [GeneratedRegex(@"\b[A-Z]{2}-\d{4}-\d{6}\b", RegexOptions.IgnoreCase)]
    private static partial Regex InvoiceNumberInText();
}
