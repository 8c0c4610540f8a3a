using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Newtonsoft.Json.Linq;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

public class RuleSetModel(IMediator mediator) : PageModel
{
    public Result RuleSet { get; private set; } = null!;

    public async Task OnGetAsync(string key, DateOnly? on) => RuleSet = await mediator.Send(new Query(key, on));

    /// <summary>Starts a draft from the version in force and opens it.</summary>
    public async Task<IActionResult> OnPostNewDraftAsync(string key)
    {
        var draft = await mediator.Send(new NewDraft(key));
        return RedirectToPage("Version", new { id = draft.Id });
    }

    public sealed record Query(string Key, DateOnly? On) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    public sealed record NewDraft(string Key) : IRequest<RuleSetVersion>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Editors;
    }

    /// <summary>One dated value of a parameter with the day its successor takes over (null: still in force).</summary>
    public sealed record Period(DateOnly From, DateOnly? To, string Value, bool Unconfirmed, string? Note, string? Source, bool InForceOn);

    public sealed record ParameterTimeline(string Name, string Description, string Unit, string Source, string? Bounds, IReadOnlyList<Period> Periods);

    public sealed record Result(RuleSetVersion InForce, RuleSetFile? File, DateOnly On, IReadOnlyList<ParameterTimeline> Parameters,
        IReadOnlyList<RuleSetVersion> Versions, IReadOnlyList<AuditEntry> Audit, bool MayEdit);

    public sealed class Handler(IRuleSetStore store, RuleBookInForce rules, IAuditLog audit, CurrentUser user, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var versions = await store.HistoryAsync(query.Key, cancellationToken);
            var inForce = versions.FirstOrDefault(v => v.Status == RuleSetVersionStatus.Published);
            if (inForce is null || !user.CanSee(inForce.Country)) throw new NotFoundException($"No rule set {query.Key}.");
            var on = query.On ?? DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var file = rules.Book.RuleSets.FirstOrDefault(s => s.Path == query.Key)?.File;
            var history = await audit.ForEntityAsync(AuditedEntity.RuleSet, query.Key, 200, cancellationToken);
            return new Result(inForce, file, on, file is null ? [] : Timelines(file, on),
                [.. versions.Where(v => v.Status != RuleSetVersionStatus.Discarded)], history, RuleSetAccess.MayEdit(user, inForce.Country));
        }

        private static IReadOnlyList<ParameterTimeline> Timelines(RuleSetFile file, DateOnly on) =>
            file.Parameters.Select(p =>
            {
                var values = p.Value.Values;
                var periods = values.Select((v, i) =>
                {
                    DateOnly? to = i + 1 < values.Count ? values[i + 1].From.AddDays(-1) : file.ValidTo;
                    var inForce = on >= v.From && (to is null || on <= to) && on >= file.ValidFrom;
                    return new Period(v.From, to, Show(v.Value, p.Value.Unit), v.Unconfirmed, v.Note, v.Source?.ToString(), inForce);
                }).ToList();
                var bounds = p.Value.Bounds is { } b ? $"[{b.Min?.ToString(CultureInfo.InvariantCulture) ?? "…"}, {b.Max?.ToString(CultureInfo.InvariantCulture) ?? "…"}]" : null;
                return new ParameterTimeline(p.Key, p.Value.Description, p.Value.Unit, p.Value.Source.ToString(), bounds, periods);
            }).ToList();

        /// <summary>Rates as percentages, amounts and counts as numbers in the reader's culture, texts as written.</summary>
        private static string Show(JToken? value, string unit) => value switch
        {
            JValue { Type: JTokenType.Float or JTokenType.Integer } number when unit == "rate" => (number.Value<decimal>() * 100m).ToString("0.####", CultureInfo.CurrentCulture) + " %",
            JValue { Type: JTokenType.Float or JTokenType.Integer } number => number.Value<decimal>().ToString("#,0.####", CultureInfo.CurrentCulture),
            JValue { Type: JTokenType.String } text => text.Value<string>() ?? "",
            null => "",
            _ => value.ToString(Newtonsoft.Json.Formatting.None),
        };
    }

    public sealed class NewDraftHandler(IRuleSetStore store, CurrentUser user) : IRequestHandler<NewDraft, RuleSetVersion>
    {
        public async Task<RuleSetVersion> Handle(NewDraft request, CancellationToken cancellationToken)
        {
            var inForce = await store.InForceAsync(request.Key, cancellationToken);
            if (inForce is null || !user.CanSee(inForce.Country)) throw new NotFoundException($"No rule set {request.Key}.");
            if (!RuleSetAccess.MayEdit(user, inForce.Country)) throw new ForbiddenException($"{user.Email} may not edit {request.Key}.");
            return await store.AddDraftAsync(inForce.Key, inForce.Country, inForce.Topic, inForce.Text, inForce.Id, new AuditActor(user.Email), cancellationToken);
        }
    }
}
