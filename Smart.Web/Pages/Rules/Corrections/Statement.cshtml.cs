using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Web.Corrections;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Corrections;

/// <summary>
/// A member's regularisation statement of one year, as a correction run wrote it: printable here, and as a PDF in the member's language (or
/// French, Dutch or English on demand). Read by the rule-set readers and by staff (from the member's year), for a country they may see.
/// </summary>
public class StatementModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    public static readonly IReadOnlyList<string> Languages = ["fr", "nl", "en"];

    public Result Statement { get; private set; } = null!;

    public async Task OnGetAsync(int id, int memberId, int year) => Statement = await mediator.Send(new Query(id, memberId, year));

    /// <param name="language">fr, nl or en; the statement's own (the member's) when not given.</param>
    public async Task<IActionResult> OnGetPdfAsync(int id, int memberId, int year, string? language)
    {
        var data = await mediator.Send(new Query(id, memberId, year));
        var chosen = language is { } asked && Languages.Contains(asked) ? asked : data.Statement.Language;
        return File(Render(data, chosen, localizers), "application/pdf",
            string.Create(CultureInfo.InvariantCulture, $"regularisation-{data.Run.Id}-{data.Statement.MemberId}-{data.Statement.Year}-{chosen}.pdf"));
    }

    /// <summary>The statement's PDF in <paramref name="language"/>: the page's texts looked up in that culture, whatever the reader's.</summary>
    public static byte[] Render(Result data, string language, IStringLocalizerFactory localizers)
    {
        var culture = CultureInfo.GetCultureInfo(language == "en" ? "en-GB" : language == "nl" ? "nl-BE" : "fr-BE");
        var texts = PageResources.For(typeof(StatementModel), localizers);
        string Text(string key)
        {
            var saved = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = culture;
            try
            {
                return texts[key];
            }
            finally
            {
                CultureInfo.CurrentUICulture = saved;
            }
        }
        return StatementPdf.Render(data, Text, culture);
    }

    public sealed record Query(int RunId, int MemberId, int Year) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => CorrectionAccess.StatementReaders;
    }

    public sealed record Result(CorrectionRun Run, RegularisationStatement Statement);

    public sealed class Handler(ICorrectionStore runs, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var run = await CorrectionAccess.VisibleAsync(runs, user, query.RunId, cancellationToken);
            var statement = await runs.StatementAsync(run.Id, query.MemberId, query.Year, cancellationToken)
                ?? throw new NotFoundException($"No statement of member {query.MemberId} for {query.Year} in correction run {run.Id}.");
            return new(run, statement);
        }
    }
}
