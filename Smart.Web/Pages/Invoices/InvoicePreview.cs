using MediatR;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Security;

namespace Smart.Web.Pages.Invoices;

/// <summary>
/// The invoice form's live preview: the values typed so far evaluated exactly as a save would evaluate them (<see cref="InvoiceEvaluations.DraftAsync"/>),
/// nothing stored. What the save would refuse comes back as the fields' errors instead of figures.
/// </summary>
public sealed record InvoicePreview(InvoiceFields Fields) : IRequest<InvoicePreview.Result>, IRequireRole
{
    public IReadOnlyList<string> Roles => SmartRoles.MemberWork;

    /// <summary>The figures, or the errors by form field (<c>ClientId</c>, <c>Lines[1].Quantity</c>) when the form cannot be evaluated.</summary>
    public sealed record Result(InvoiceEvaluation? Evaluation, string Currency, int MinorUnit, IReadOnlyDictionary<string, string[]> Errors)
    {
        /// <summary>The form's own errors (a number that could not be read, a required field left empty), under the fields' names without the form's prefix.</summary>
        public static Result Refused(ModelStateDictionary state, string prefix) => new(null, "", 0,
            state.Where(e => e.Value is { Errors.Count: > 0 }).ToDictionary(
                e => e.Key.StartsWith(prefix, StringComparison.Ordinal) ? e.Key[prefix.Length..] : e.Key,
                e => e.Value!.Errors.Select(x => x.ErrorMessage).ToArray()));
    }

    public sealed class Handler(InvoiceEvaluations evaluations, PluginCatalog plugins) : IRequestHandler<InvoicePreview, Result>
    {
        public async Task<Result> Handle(InvoicePreview request, CancellationToken cancellationToken)
        {
            try
            {
                // Never a stored draft: a unit the user may not see is a 404 here as on save, and nothing is written.
                var draft = await evaluations.DraftAsync<InvoicePreview>(request.Fields, null, cancellationToken);
                var manifest = plugins.Find(draft.Country)?.Manifest;
                return new Result(draft.Evaluation, manifest?.Currency ?? draft.Evaluation!.Currency, manifest?.MinorUnit ?? 2, new Dictionary<string, string[]>());
            }
            catch (RequestValidationException invalid)
            {
                return new Result(null, "", 0, invalid.Errors);
            }
        }
    }
}
