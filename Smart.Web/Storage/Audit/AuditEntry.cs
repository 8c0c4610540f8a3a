using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Storage.Audit;

/// <summary>Who made a change: the signed-in user's name or e-mail, or a named system process such as the demo seed.</summary>
public sealed record AuditActor(string Name)
{
    public static AuditActor System(string process) => new($"system:{process}");
}

public enum AuditAction
{
    Create,
    Update,
}

/// <summary>One field of a record before and after a change, as invariant text; Before is null when the record was created.</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>One change to one record: who, when (UTC), what record of which country, and which fields changed.</summary>
public sealed record AuditEntry(
    long Id,
    DateTime AtUtc,
    string Actor,
    string EntityType,
    string EntityId,
    string Country,
    AuditAction Action,
    IReadOnlyList<AuditChange> Changes);

/// <summary>The entity type names the audit log files changes under.</summary>
public static class AuditedEntity
{
    public const string Member = "member";
    public const string ProductionUnit = "production-unit";
    public const string Client = "client";
    public const string Invoice = "invoice";
    public const string RuleSet = "rule-set";
}
