using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Corrections;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Corrections;

/// <summary>The correction runs of the user's countries, newest first; a run is proposed from a finished since-issue comparison.</summary>
public class IndexModel(IMediator mediator) : PageModel
{
    public IReadOnlyList<CorrectionRun> Runs { get; private set; } = [];

    public async Task OnGetAsync() => Runs = await mediator.Send(new Query());

    public sealed record Query : IRequest<IReadOnlyList<CorrectionRun>>, IRequireRole
    {
        public IReadOnlyList<string> Roles => CorrectionAccess.Readers;
    }

    public sealed class Handler(ICorrectionStore runs, CurrentUser user) : IRequestHandler<Query, IReadOnlyList<CorrectionRun>>
    {
        public Task<IReadOnlyList<CorrectionRun>> Handle(Query query, CancellationToken cancellationToken) =>
            runs.ListAsync(CountryScope.Of(user), 200, cancellationToken);
    }
}
