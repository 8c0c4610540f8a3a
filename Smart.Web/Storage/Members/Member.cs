namespace Smart.Web.Storage.Members;

/// <summary>A member of the cooperative in one country. <see cref="Id"/> and <see cref="Version"/> are set by the store.</summary>
public sealed record Member
{
    public int Id { get; init; }
    /// <summary>ISO 3166-1 alpha-2, upper case: the country whose cooperative employs the member.</summary>
    public required string Country { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public required string Email { get; init; }
    /// <summary>The country's personal number (Belgium: national register number), as the plugin's validator normalises it; none where the plugin has no validator for it.</summary>
    public string? NationalNumber { get; init; }
    public DateOnly BirthDate { get; init; }
    /// <summary>One of <see cref="MemberSectors.All"/>.</summary>
    public required string Sector { get; init; }
    /// <summary>The office or city the member is followed from.</summary>
    public required string Office { get; init; }
    public DateOnly MemberSince { get; init; }
    /// <summary>Author-rights income of the current year so far, in the country's currency: checked against the annual ceiling.</summary>
    public decimal AuthorRightsYearToDate { get; init; }
    /// <summary>
    /// Professional income of the current year so far (pay for the work, not author rights), entered by staff from outside the issued invoices:
    /// the base of a cap on author rights as a share of the whole pay (Belgium's 70/30 rule, art. 551 CIR).
    /// </summary>
    public decimal ProfessionalIncomeYearToDate { get; init; }
    public bool HasArtistAttestation { get; init; }
    /// <summary>The language the member reads their letters in (<see cref="Languages"/>: a regularisation statement); none: the country's first.</summary>
    public string? Language { get; init; }
    public bool Active { get; init; } = true;
    /// <summary>Raised by every update; an edit names the version it read.</summary>
    public int Version { get; init; }

    public string Name => $"{FirstName} {LastName}";

    /// <summary>The languages the intranet writes a member's letters in, each named in itself.</summary>
    public static readonly IReadOnlyDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["fr"] = "Français", ["nl"] = "Nederlands", ["en"] = "English",
    };
}
