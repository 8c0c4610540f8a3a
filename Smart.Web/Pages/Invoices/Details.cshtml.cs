using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Invoices;

public class DetailsModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Data { get; private set; } = null!;

    public async Task OnGetAsync(int id) => Data = await mediator.Send(new Query(id));

    /// <summary>Issues the draft: evaluated again, numbered and frozen.</summary>
    public async Task<IActionResult> OnPostIssueAsync(int id, int version)
    {
        var outcome = await mediator.Send(new Issue(id, version));
        var texts = PageResources.For(typeof(DetailsModel), localizers);
        TempData["Message"] = outcome switch
        {
            { Number: { } number } => texts["Invoice {0} issued.", number].Value,
            { Problems.Count: > 0 } => texts["The invoice was not issued: {0}", string.Join(" ", outcome.Problems)].Value,
            _ => texts["The invoice was not issued: it changed or was issued since you opened it."].Value,
        };
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(Invoice Invoice, ProductionUnit? Unit, Client? Client, IssuingEntity? Issuer, string Currency, int MinorUnit);

    public sealed class Handler(IInvoiceStore invoices, IProductionUnitStore units, IClientStore clients, CurrentUser user, PluginCatalog plugins)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            var manifest = plugins.Find(invoice.Country)?.Manifest;
            return new Result(invoice, await units.GetAsync(invoice.ProductionUnitId, cancellationToken), await clients.GetAsync(invoice.ClientId, cancellationToken),
                manifest?.Issuers.FirstOrDefault(i => i.Id == invoice.Issuer), manifest?.Currency ?? invoice.Evaluation?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
        }
    }

    public sealed record Issue(int Id, int Version) : IRequest<IssueOutcome>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>The number given, or why none was: the evaluation's problems, or neither when the draft changed or was issued meanwhile.</summary>
    public sealed record IssueOutcome(string? Number, IReadOnlyList<string> Problems);

    public sealed class IssueHandler(IInvoiceStore invoices, InvoiceEvaluations evaluations, CurrentUser user) : IRequestHandler<Issue, IssueOutcome>
    {
        public async Task<IssueOutcome> Handle(Issue issue, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(issue.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {issue.Id}.");
            if (invoice.Status != InvoiceStatus.Draft || invoice.Version != issue.Version) return new IssueOutcome(null, []);
            // The rules or the member's figures may have changed since the last save: the issued invoice carries today's evaluation.
            var outcome = await evaluations.ReevaluateAsync(invoice, cancellationToken);
            if (outcome.Value is null)
                return new IssueOutcome(null, outcome.Errors.Concat(outcome.NotCovered).SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")).ToList());
            var issued = await invoices.IssueAsync(invoice.Id, issue.Version, outcome.Value, new AuditActor(user.Email), cancellationToken);
            return new IssueOutcome(issued.Updated ? issued.Current!.Number : null, []);
        }
    }
}
