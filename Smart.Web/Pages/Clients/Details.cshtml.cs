using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Pages.Clients;

public class DetailsModel(IMediator mediator) : PageModel
{
    public Result? Client { get; private set; }

    public async Task OnGetAsync(int id) => Client = await mediator.Send(new Query(id));

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <param name="LegalForm">The client's form as the rule set in force today describes it; null when none is recorded or the code is unknown.</param>
    /// <param name="TaxedAsUnregistered">The form implies a VAT number but none is recorded: invoices will treat the client as a non-registered person.</param>
    public sealed record Result(Client Client, LegalFormChoice? LegalForm, bool TaxedAsUnregistered, TaxationPreview Taxation, IReadOnlyList<AuditEntry> History,
        Smart.Web.Pages.Shared.ConnectedDocuments Documents);

    /// <summary>What the rules would apply today to a one-line service invoice of 100 to this client, or why they would not.</summary>
    public sealed record TaxationPreview(DateOnly Date, string Issuer, string Currency, LineEvaluation? Line, Totals? Totals, IReadOnlyList<string> Problems);

    public const decimal PreviewAmount = 100m;

    public sealed class Handler(IClientStore clients, IAuditLog audit, CurrentUser user, DocumentEvaluator evaluator, TimeProvider clock,
        Smart.Web.Pages.Shared.ConnectedDocumentReader documents)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var client = await clients.GetAsync(query.Id, cancellationToken);
            // By id the request cannot name its country: a client of a country the user may not see is answered as missing.
            if (client is null || !user.CanSee(client.Country)) throw new NotFoundException($"No client {query.Id}.");

            var today = ClientLegalForms.Today(clock);
            var form = client.LegalForm is { Length: > 0 } code && ClientLegalForms.Find(evaluator.Book, client.Country, today, code) is { } entry
                ? ClientLegalForms.Choice(client.Country, entry) : null;
            var unregistered = form is { VatRegistered: true } && string.IsNullOrWhiteSpace(client.VatNumber) && EuropeanUnion.IsMember(client.Country, today);
            var history = await audit.ForEntityAsync(AuditedEntity.Client, client.Id.ToString(CultureInfo.InvariantCulture), cancellationToken: cancellationToken);
            var connected = await documents.OfClientAsync(CountryScope.Only(client.Country), client.Id, cancellationToken) with
            {
                InvoiceListRoute = new Dictionary<string, string> { ["ClientId"] = client.Id.ToString(CultureInfo.InvariantCulture) },
            };
            return new Result(client, form, unregistered, Preview(client, today), history, connected);
        }

        private TaxationPreview Preview(Client client, DateOnly today)
        {
            var manifest = evaluator.Book.Plugins.Find(client.Country)?.Manifest;
            var outcome = evaluator.EvaluateInvoice(new InvoiceDocument
            {
                Country = client.Country,
                Date = today,
                Client = new ClientInfo { Kind = client.Kind.Code(), Country = client.Country, VatNumber = client.VatNumber, LegalForm = client.LegalForm },
                Lines = [new InvoiceLine { Description = "Service", Category = Categories.Service, Quantity = 1, UnitPrice = PreviewAmount }],
            }, explain: false);
            var issuer = outcome.Value?.Issuer ?? manifest?.DefaultIssuer.Id ?? "";
            var currency = outcome.Value?.Currency ?? manifest?.Currency ?? "";
            if (outcome.Value is { } evaluation)
                return new TaxationPreview(today, issuer, currency, evaluation.Lines[0], evaluation.Totals, []);
            var problems = outcome.Errors.Concat(outcome.NotCovered).SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")).ToList();
            return new TaxationPreview(today, issuer, currency, null, null, problems);
        }
    }
}
