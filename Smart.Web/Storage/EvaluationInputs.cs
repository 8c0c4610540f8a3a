using Smart.Rules.Evaluation;
using Smart.Web.Pages.Clients;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;

namespace Smart.Web.Storage;

/// <summary>
/// A stored document as the rules engine reads it. The save handlers of the invoice and contract pages and the bulk re-evaluation
/// build their input here, so a re-evaluation computes exactly what a save would.
/// </summary>
public static class EvaluationInputs
{
    /// <summary>An invoice with its stored client and the member running its production unit (none if the member is gone).</summary>
    /// <param name="yearToDate">The member's income of the invoice's year, from <see cref="YearToDate"/>.</param>
    public static InvoiceDocument Invoice(Invoice invoice, Client client, Member? member, MemberIncome yearToDate) => new()
    {
        Country = invoice.Country, Date = invoice.Date, DueDate = invoice.DueDate, Issuer = invoice.Issuer, ServiceLevel = invoice.ServiceLevel,
        Client = new ClientInfo { Kind = client.Kind.Code(), Country = client.Country, VatNumber = client.VatNumber, LegalForm = client.LegalForm },
        Member = member is null ? null : new MemberInfo
        {
            AuthorRightsYearToDate = yearToDate.AuthorRights, ProfessionalIncomeYearToDate = yearToDate.ProfessionalIncome,
            HasArtistAttestation = member.HasArtistAttestation,
            Age = member.BirthDate == default ? null : AgeOn(member.BirthDate, invoice.Date),
        },
        Lines = invoice.Lines.Select(l => new InvoiceLine
        {
            Description = l.Description, Category = l.Category, Quantity = l.Quantity, UnitPrice = l.UnitPrice, WorkKind = l.WorkKind, PerformedIn = l.PerformedIn,
        }).ToList(),
    };

    /// <summary>
    /// A member's income of a calendar year: the issued invoices' less credit notes (<paramref name="issued"/>, where the part of author rights above
    /// a share cap is professional income), kept per year so a new year starts from nothing; for the current year, plus the figures on the member
    /// record (income entered by staff).
    /// </summary>
    public static MemberIncome YearToDate(Member member, int year, MemberIncome issued, DateOnly today) =>
        year == today.Year ? issued + new MemberIncome(member.AuthorRightsYearToDate, member.ProfessionalIncomeYearToDate) : issued;

    /// <summary>A contract as its production unit's employment rule set reads it.</summary>
    public static ContractDocument Contract(Contract contract) => new()
    {
        Country = contract.Country, Date = contract.StartDate, EndDate = contract.EndDate, JobCategory = contract.JobCategory,
        Days = contract.Days, Hours = contract.Hours, Budget = contract.Budget,
    };

    private static int AgeOn(DateOnly birth, DateOnly day) => day.Year - birth.Year - (day < birth.AddYears(day.Year - birth.Year) ? 1 : 0);
}
