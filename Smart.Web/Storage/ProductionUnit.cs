namespace Smart.Web.Storage;

public enum ProductionUnitStatus
{
    Active,
    Closed,
}

/// <summary>A member's production unit (an "activity"): it invoices clients and keeps a running budget. Id and Version are set by the store.</summary>
public sealed record ProductionUnit
{
    public int Id { get; init; }
    public required string Country { get; init; }
    public required string Name { get; init; }
    /// <summary>The member who runs it.</summary>
    public int MemberId { get; init; }
    /// <summary>One of <see cref="MemberSectors.All"/>.</summary>
    public required string Sector { get; init; }
    public ProductionUnitStatus Status { get; init; } = ProductionUnitStatus.Active;
    /// <summary>The budget its invoices built up and its contracts have not yet spent, in the country's currency.</summary>
    public decimal AvailableBudget { get; init; }
    public DateOnly Created { get; init; }
    public int Version { get; init; }
}
