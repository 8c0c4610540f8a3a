using Smart.Rules.Evaluation;

namespace Smart.Web.Storage.Members;

/// <summary>
/// A member's income of one calendar year as the author-rights rules read it: author rights, and professional income (pay for the
/// work, not author rights), in the country's currency.
/// </summary>
public sealed record MemberIncome(decimal AuthorRights, decimal ProfessionalIncome)
{
    public static readonly MemberIncome None = new(0m, 0m);

    public static MemberIncome operator +(MemberIncome a, MemberIncome b) => new(a.AuthorRights + b.AuthorRights, a.ProfessionalIncome + b.ProfessionalIncome);

    public static MemberIncome operator -(MemberIncome a) => new(-a.AuthorRights, -a.ProfessionalIncome);

    /// <summary>
    /// What an issued invoice adds to its member's year: its author-rights net, less the part above a share cap (Belgium's 70/30 rule of
    /// art. 551 CIR), which is professional income and counts as such.
    /// </summary>
    public static MemberIncome Of(InvoiceEvaluation? evaluation) => evaluation?.AuthorRights is { } rights
        ? new(rights.Amount - rights.AboveShareCap, rights.AboveShareCap)
        : None;
}
