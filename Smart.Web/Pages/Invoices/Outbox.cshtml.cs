using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.EInvoicing;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Invoices;

/// <summary>The e-invoice outbox of the user's countries: each document's status and the channel's reason; a rejected one can be sent again.</summary>
public class OutboxModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public Result Outbox { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] OutboxStatus? status, [FromQuery] string? country, [FromQuery(Name = "page")] int pageNumber = 1) =>
        Outbox = await mediator.Send(new Query(status, country, pageNumber));

    /// <summary>The filter's route values with another page.</summary>
    public Dictionary<string, string> RouteWith(int page) => new()
    {
        ["status"] = Outbox.Status?.ToString() ?? "", ["country"] = Outbox.Country ?? "", ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task<IActionResult> OnPostRetryAsync(int invoiceId)
    {
        var retried = await mediator.Send(new Retry(invoiceId));
        var texts = PageResources.For(typeof(OutboxModel), localizers);
        TempData["Message"] = retried ? texts["The e-invoice will be handed over again."].Value : texts["Only a rejected e-invoice can be sent again."].Value;
        return RedirectToPage("Outbox");
    }

    public sealed record Query(OutboxStatus? Status, string? Country, int Page = 1) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(IReadOnlyList<OutboxEntry> Entries, int Total, int Page, IReadOnlyList<string> Countries, OutboxStatus? Status, string? Country)
    {
        public const int PageSize = 50;
        public static Result Empty => new([], 0, 1, [], null, null);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed class Handler(IOutboxStore outbox, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = Math.Max(query.Page, 1);
            var found = await outbox.SearchAsync(new OutboxQuery(CountryScope.Of(user), query.Status, query.Country, page, Result.PageSize), cancellationToken);
            return new(found.Rows, found.Total, page, user.VisibleCountries, query.Status, query.Country);
        }
    }

    public sealed record Retry(int InvoiceId) : IRequest<bool>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>A rejected document goes back to generated as a new attempt (a new file name); the next run hands it over.</summary>
    public sealed class RetryHandler(IOutboxStore outbox, CurrentUser user) : IRequestHandler<Retry, bool>
    {
        public async Task<bool> Handle(Retry retry, CancellationToken cancellationToken)
        {
            var entry = await outbox.GetAsync(retry.InvoiceId, cancellationToken);
            if (entry is null || !user.CanSee(entry.Country)) throw new NotFoundException($"No e-invoice of invoice {retry.InvoiceId}.");
            return await outbox.RetryAsync(entry.InvoiceId, cancellationToken);
        }
    }
}
