using Smart.Web.Storage.Members;

namespace Smart.Web.Storage.ProductionUnits;

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
    /// <summary>
    /// The budget its invoices built up less what its contracts spent and hold, in the country's currency: computed from the unit's
    /// ledger (Smart.Web/Budget) and written on the record by each ledger write, for lists and sorting. The unit's own writes never change it.
    /// </summary>
    public decimal AvailableBudget { get; init; }
    /// <summary>Only when the unit is stored: a budget it starts with, written once as its ledger's opening entry. Not stored on the record.</summary>
    public decimal OpeningBalance { get; init; }
    public DateOnly Created { get; init; }
    public int Version { get; init; }
}
