using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// Checks a draft the way submission does: everything <see cref="RuleBook.Check"/> finds against the book in force (JSON, schema,
/// expressions, periods, the file's own tests), and for a values-only editor, any change outside the bounded parameters' values.
/// </summary>
public sealed class RuleSetDrafts(RuleBookInForce rules, IRuleSetStore store)
{
    public async Task<DraftCheck> CheckAsync(RuleSetVersion draft, CurrentUser user, CancellationToken cancellationToken = default)
    {
        var check = rules.Book.Check(new RuleSource(draft.Country, draft.Key, draft.Text));
        if (!RuleSetAccess.EditsValuesOnly(user)) return check;
        var basedOn = draft.BasedOnId is { } id ? await store.GetAsync(id, cancellationToken) : null;
        var limits = RuleSetText.ValuesOnlyProblems(draft.Key, basedOn?.Text, draft.Text);
        return limits.Count == 0 ? check : check with { Problems = [.. limits, .. check.Problems] };
    }
}
