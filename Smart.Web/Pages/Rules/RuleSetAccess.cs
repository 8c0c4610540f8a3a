using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// Who may do what with rule sets. Compliance officers edit whole files; a partner cooperative's administrator edits only the
/// values of their own country's parameters that declare bounds (cooperative policy such as contribution rates), never rule logic
/// or law; approvers publish what someone else submitted; administrators read everything. A country the user may not see is
/// answered as missing.
/// </summary>
public static class RuleSetAccess
{
    public static IReadOnlyList<string> Readers { get; } =
        [SmartRoles.ComplianceOfficer, SmartRoles.Approver, SmartRoles.Administrator, SmartRoles.PartnerAdmin];

    public static IReadOnlyList<string> Editors { get; } = [SmartRoles.ComplianceOfficer, SmartRoles.PartnerAdmin];

    public static IReadOnlyList<string> Approvers { get; } = [SmartRoles.Approver];

    /// <summary>Whether the user edits parameter values only (partner administrators), rather than whole files.</summary>
    public static bool EditsValuesOnly(CurrentUser user) => !user.IsInRole(SmartRoles.ComplianceOfficer);

    public static bool MayEdit(CurrentUser user, string country) => user.IsInAnyRole(Editors) && user.CanSee(country);

    /// <summary>An approver may publish or send back a submitted version, but never one they wrote or submitted themselves.</summary>
    public static bool MayReview(CurrentUser user, RuleSetVersion version) =>
        user.IsInAnyRole(Approvers) && user.CanSee(version.Country) && version.Status == RuleSetVersionStatus.Submitted
        && !IsAuthor(user, version);

    /// <summary>A draft or returned version may be thrown away by one of its authors, or by a compliance officer of its country.</summary>
    public static bool MayDiscard(CurrentUser user, RuleSetVersion version) =>
        version.IsEditable && user.CanSee(version.Country) && user.IsInAnyRole(Editors)
        && (user.IsInRole(SmartRoles.ComplianceOfficer) || IsAuthor(user, version));

    /// <summary>
    /// Four eyes by history: whoever created, edited or submitted any revision of the version wrote part of it, even if someone else edited
    /// it since. Roll-back and import create a draft, so their author is its creator. The last editor, creator and submitter are still read
    /// for versions stored before the authors were kept.
    /// </summary>
    public static bool IsAuthor(CurrentUser user, RuleSetVersion version) =>
        version.Authors.Contains(user.Email, StringComparer.OrdinalIgnoreCase)
        || string.Equals(version.CreatedBy, user.Email, StringComparison.OrdinalIgnoreCase)
        || string.Equals(version.SubmittedBy, user.Email, StringComparison.OrdinalIgnoreCase)
        || string.Equals(version.UpdatedBy, user.Email, StringComparison.OrdinalIgnoreCase);

    /// <summary>The version, if the user may see its country; otherwise as if it did not exist.</summary>
    public static async Task<RuleSetVersion> VisibleVersionAsync(IRuleSetStore store, CurrentUser user, int id, CancellationToken cancellationToken)
    {
        var version = await store.GetAsync(id, cancellationToken);
        if (version is null || !user.CanSee(version.Country)) throw new NotFoundException($"No rule-set version {id}.");
        return version;
    }
}
