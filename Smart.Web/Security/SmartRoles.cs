namespace Smart.Web.Security;

/// <summary>The roles of DESIGN.md, as stored on accounts and carried in the sign-in cookie's role claims.</summary>
public static class SmartRoles
{
    /// <summary>Works on members, production units and clients of all countries or of a set of them.</summary>
    public const string Staff = "staff";
    /// <summary>A partner cooperative's administrator: exactly one country.</summary>
    public const string PartnerAdmin = "partner-admin";
    /// <summary>Edits, tests and submits rule sets.</summary>
    public const string ComplianceOfficer = "compliance-officer";
    /// <summary>Publishes what another person submitted.</summary>
    public const string Approver = "approver";
    /// <summary>Manages accounts; sees everything.</summary>
    public const string Administrator = "administrator";

    public static IReadOnlyList<string> All { get; } = [Staff, PartnerAdmin, ComplianceOfficer, Approver, Administrator];

    /// <summary>Who works on members, production units, clients and their documents; the navigation and the requests use the same list.</summary>
    public static IReadOnlyList<string> MemberWork { get; } = [Staff, PartnerAdmin, Administrator];

    /// <summary>Who reads and works on rule sets.</summary>
    public static IReadOnlyList<string> RuleWork { get; } = [ComplianceOfficer, Approver, Administrator];

    public static IReadOnlyList<string> Administrators { get; } = [Administrator];

    /// <summary>Who sees and starts bulk re-evaluations of documents; a partner administrator only for their country.</summary>
    public static IReadOnlyList<string> ReevaluationWork { get; } = [ComplianceOfficer, PartnerAdmin, Administrator];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
