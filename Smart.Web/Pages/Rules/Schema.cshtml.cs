using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.RuleSets;
using Smart.Web.Security;

namespace Smart.Web.Pages.Rules;

/// <summary>The rule-set JSON schema the loader validates with, for the code editor's completion and inline errors.</summary>
public class SchemaModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync() => Content(await mediator.Send(new Query()), "application/schema+json");

    public sealed record Query : IRequest<string>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed class Handler : IRequestHandler<Query, string>
    {
        public Task<string> Handle(Query query, CancellationToken cancellationToken) => Task.FromResult(RuleSetLoader.SchemaText);
    }
}
