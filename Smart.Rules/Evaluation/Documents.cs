namespace Smart.Rules.Evaluation;

// The documents the rules engine evaluates. Property names are the public API v1 contract (camelCase in JSON).

public sealed record InvoiceDocument
{
    public string Country { get; init; } = "";
    public DateOnly Date { get; init; }
    /// <summary>When payment is due; statutory late-payment interest is the rate in force on it. The invoice date when absent.</summary>
    public DateOnly? DueDate { get; init; }
    /// <summary>One of the country's issuing entities (plugin.json); the default one when absent.</summary>
    public string? Issuer { get; init; }
    public string? ServiceLevel { get; init; }
    public ClientInfo Client { get; init; } = new();
    public MemberInfo? Member { get; init; }
    public IReadOnlyList<InvoiceLine> Lines { get; init; } = [];
}

public sealed record ClientInfo
{
    /// <summary>business | individual | public | nonprofit</summary>
    public string Kind { get; init; } = "";
    public string Country { get; init; } = "";
    public string? VatNumber { get; init; }
    public string? LegalForm { get; init; }
}

public sealed record MemberInfo
{
    public decimal AuthorRightsYearToDate { get; init; }
    public bool HasArtistAttestation { get; init; }
    /// <summary>Age on the document's date, where a rule depends on it (Italy's under-35 author deduction).</summary>
    public int? Age { get; init; }
    /// <summary>
    /// The member's professional income of the year before this document (pay for the work, not author rights), where a rule
    /// caps author rights as a share of the whole (Belgium's 70/30 rule); 0 when absent.
    /// </summary>
    public decimal? ProfessionalIncomeYearToDate { get; init; }
}

public sealed record InvoiceLine
{
    public string Description { get; init; } = "";
    /// <summary>service | goods | training | author-rights | artistic-performance | disbursement</summary>
    public string Category { get; init; } = "";
    public decimal Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    /// <summary>
    /// The kind of work an author-rights line concerns, where the law treats kinds apart (Belgian VAT excludes software and
    /// advertising from the reduced rate): one of <see cref="WorkKinds.All"/>; absent when not said.
    /// </summary>
    public string? WorkKind { get; init; }
    /// <summary>
    /// Where a performance or a training is physically given (ISO 3166-1 alpha-2), where it decides the place of supply to a
    /// non-taxable client (directive 2006/112/EC art. 54); the issuer's country when absent.
    /// </summary>
    public string? PerformedIn { get; init; }
}

public sealed record ContractDocument
{
    public string Country { get; init; } = "";
    /// <summary>The contract's first day: the rules in force on it apply.</summary>
    public DateOnly Date { get; init; }
    public DateOnly? EndDate { get; init; }
    public string? ServiceLevel { get; init; }
    /// <summary>employee | artist | manual-worker</summary>
    public string JobCategory { get; init; } = "employee";
    public int Days { get; init; }
    public decimal Hours { get; init; }
    /// <summary>The employment budget the production unit puts into this contract.</summary>
    public decimal Budget { get; init; }
    public MemberInfo? Member { get; init; }
}

public static class Categories
{
    public const string Service = "service", Goods = "goods", Training = "training", AuthorRights = "author-rights",
        ArtisticPerformance = "artistic-performance", Disbursement = "disbursement";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Service, Goods, Training, AuthorRights, ArtisticPerformance, Disbursement };

    /// <summary>One of <see cref="All"/>: compared with the constants, since every line of every document is checked.</summary>
    public static bool IsKnown(string? category) => category is Service or Goods or Training or AuthorRights or ArtisticPerformance or Disbursement;
}

public static class WorkKinds
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        "literary", "journalistic", "comics", "musical", "dramatic", "choreographic", "visual", "photographic", "audiovisual",
        "architectural", "software", "advertising", "other",
    };
}

public static class ClientKinds
{
    public const string Business = "business", Individual = "individual", Public = "public", NonProfit = "nonprofit";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Business, Individual, Public, NonProfit };

    /// <summary>One of <see cref="All"/>: compared with the constants, since every document is checked.</summary>
    public static bool IsKnown(string? kind) => kind is Business or Individual or Public or NonProfit;
}

public static class JobCategories
{
    public static readonly IReadOnlySet<string> All = new HashSet<string> { "employee", "artist", "manual-worker" };
}

/// <summary>
/// A member's professional expense (a note de frais): what the cooperative may reclaim as input VAT and what the production
/// unit is charged come from the country's expenses rule set in force on <see cref="Date"/>.
/// </summary>
public sealed record ExpenseDocument
{
    public string Country { get; init; } = "";
    /// <summary>The day the expense was made (the receipt's date, the trip's first day).</summary>
    public DateOnly Date { get; init; }
    /// <summary>One of the codes listed under categories in the country's expenses rule set.</summary>
    public string Category { get; init; } = "";
    /// <summary>Receipts: what was paid, VAT included. Per diem: what the member asks (the ceiling when absent).</summary>
    public decimal? Amount { get; init; }
    /// <summary>Receipts: the VAT the receipt shows. Give this or <see cref="VatRate"/>; neither means no VAT.</summary>
    public decimal? Vat { get; init; }
    /// <summary>Receipts: the VAT rate of the receipt (0.21), when its VAT amount is not given.</summary>
    public decimal? VatRate { get; init; }
    /// <summary>Mileage: the kilometres driven with the member's own vehicle.</summary>
    public decimal? Kilometres { get; init; }
    /// <summary>Per diem: the days of the trip.</summary>
    public int? Days { get; init; }
}

/// <summary>What an expense category's amount is computed from.</summary>
public static class ExpenseKinds
{
    public const string Receipt = "receipt", Mileage = "mileage", PerDiem = "per-diem";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Receipt, Mileage, PerDiem };
}
