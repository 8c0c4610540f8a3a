using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Behaviours;
using Smart.Web.Jobs;
using Smart.Web.Localization;
using Smart.Web.Reevaluation;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Reevaluation;

/// <summary>The bulk re-evaluation runs the user may see, newest first, and the form that starts one.</summary>
public class IndexModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public const int PageSize = 50;

    [BindProperty] public Start Data { get; set; } = new();

    public Result Runs { get; private set; } = Result.Empty;

    public async Task OnGetAsync([FromQuery] int page = 1) => Runs = await mediator.Send(new Query(page));

    public async Task<IActionResult> OnPostAsync()
    {
        // Read first: a refused start renders this page again without running the GET.
        Runs = await mediator.Send(new Query(1));
        var id = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(IndexModel), localizers)["Re-evaluation {0} started.", id].Value;
        return RedirectToPage("Details", new { id });
    }

    public sealed record Query(int Page = 1) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.ReevaluationWork;
    }

    public sealed record Result(IReadOnlyList<ReevaluationRun> Rows, int Total, int Page, IReadOnlyList<string> Countries, bool MayChooseAll)
    {
        public static Result Empty => new([], 0, 1, [], false);
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public sealed class Handler(IReevaluationStore runs, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var page = Math.Max(1, query.Page);
            var found = await runs.SearchAsync(CountryScope.Of(user), (page - 1) * PageSize, PageSize, cancellationToken);
            return new Result(found.Rows, found.Total, page, user.VisibleCountries, user.SeesAllCountries);
        }
    }

    /// <summary>Starts a run for one country, or for every country when the user sees them all.</summary>
    public sealed class Start : IRequest<int>, IRequireRole, ICountryScoped, IValidatableObject
    {
        [Required(ErrorMessage = "Say why the documents are re-evaluated."), StringLength(300), Display(Name = "Reason")]
        public string Reason { get; set; } = "";

        /// <summary>Empty: every country.</summary>
        [StringLength(2), Display(Name = "Country")]
        public string? Country { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.ReevaluationWork;

        public IEnumerable<ValidationResult> Validate(ValidationContext context)
        {
            var user = (CurrentUser)context.GetService(typeof(CurrentUser))!;
            var texts = context.GetService(typeof(IStringLocalizerFactory)) is IStringLocalizerFactory factory ? PageResources.For(typeof(IndexModel), factory) : null;
            string T(string text) => texts?[text] ?? text;
            if (string.IsNullOrWhiteSpace(Country) && !user.SeesAllCountries)
                yield return new ValidationResult(T("Choose your country: you may not re-evaluate every country's documents."), [nameof(Country)]);
            else if (!string.IsNullOrWhiteSpace(Country) && !user.VisibleCountries.Contains(CountryCode.Normalise(Country)))
                yield return new ValidationResult(T("Choose a country from the list."), [nameof(Country)]);
        }
    }

    public sealed class StartHandler(IMediator mediator, CurrentUser user) : IRequestHandler<Start, int>
    {
        public Task<int> Handle(Start start, CancellationToken cancellationToken) =>
            mediator.Send(new StartReevaluation.Command(start.Reason.Trim(), start.Country, user.Email), cancellationToken);
    }
}
