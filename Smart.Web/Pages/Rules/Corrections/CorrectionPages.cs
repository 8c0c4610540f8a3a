using Smart.Web.Corrections;
using Smart.Web.Security;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Corrections;

/// <summary>
/// Who may do what with correction runs: compliance officers propose, approvers (never the proposer) accept or reject, the rule-set readers
/// follow them; a member's statement is also read by staff, from the member's year. A run of a country the user cannot see is answered as missing.
/// </summary>
public static class CorrectionAccess
{
    public static IReadOnlyList<string> Readers => RuleSetAccess.Readers;

    public static IReadOnlyList<string> Proposers { get; } = [SmartRoles.ComplianceOfficer];

    public static IReadOnlyList<string> Approvers => RuleSetAccess.Approvers;

    public static IReadOnlyList<string> StatementReaders { get; } = [.. RuleSetAccess.Readers.Union(SmartRoles.MemberWork)];

    public static bool MayPropose(CurrentUser user, string country) => user.IsInAnyRole(Proposers) && user.CanSee(country);

    /// <summary>An approver of the run's country, not its proposer, while it is proposed.</summary>
    public static bool MayReview(CurrentUser user, CorrectionRun run) =>
        run.Status == CorrectionStatus.Proposed && user.IsInAnyRole(Approvers) && user.CanSee(run.Country)
        && !string.Equals(run.ProposedBy, user.Email, StringComparison.OrdinalIgnoreCase);

    /// <summary>The run, if the user may see its country; otherwise as if it did not exist.</summary>
    public static async Task<CorrectionRun> VisibleAsync(ICorrectionStore runs, CurrentUser user, int id, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        if (run is null || !user.CanSee(run.Country)) throw new NotFoundException($"No correction run {id}.");
        return run;
    }

    /// <summary>The status as the pages name it (a resource key).</summary>
    public static string Status(CorrectionStatus status) => $"correction:{status}";
}
