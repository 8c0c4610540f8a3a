namespace Smart.Rules.Evaluation;

// What a rule expression can see. Every rule of every topic gets the same seven inputs, named as below
// (doc, line, client, issuer, member, contract, expense), plus its rule set's parameters by name; an input that does
// not apply to the document is an empty object, never null, so expressions need no null checks.
// Plain fields on sealed classes: expressions read them through compiled member access, nothing else.

public sealed class DocumentFacts
{
    public string Country = "";
    public int Year;
    /// <summary>yyyyMMdd as a number, so expressions can compare dates without reaching DateTime.</summary>
    public int Day;
    public string ServiceLevel = "standard";
    /// <summary>invoice | contract | expense</summary>
    public string Kind = "invoice";
    /// <summary>Sum of the rounded line nets.</summary>
    public decimal Net;
    /// <summary>Net invoiced excluding disbursements (costs re-invoiced in the client's name, not the cooperative's turnover).</summary>
    public decimal TurnoverNet;
    public decimal AuthorRightsNet;
    public int LineCount;
    /// <summary>The invoice's VAT total; known after the VAT rules, so 0 for them and set for every later topic.</summary>
    public decimal Vat;
    /// <summary>Net + VAT: what the client owes (0 for the VAT rules).</summary>
    public decimal Gross;
    /// <summary>Sum of the nets of lines that bear no VAT (exempt, out of scope, reverse-charged); 0 for the VAT rules.</summary>
    public decimal NonVatNet;

    /// <summary>As new: an evaluation without trace reuses its thread's facts objects (every field here, or a document sees the last one's).</summary>
    internal DocumentFacts Reset()
    {
        (Country, Year, Day, ServiceLevel, Kind) = ("", 0, 0, "standard", "invoice");
        (Net, TurnoverNet, AuthorRightsNet, LineCount, Vat, Gross, NonVatNet) = (0m, 0m, 0m, 0, 0m, 0m, 0m);
        return this;
    }
}

public sealed class LineFacts
{
    public int Index;
    public string Category = "";
    public string Description = "";
    public decimal Quantity;
    public decimal UnitPrice;
    public decimal Net;
    /// <summary>The kind of work (literary, musical, visual, software, advertising…); "" when not said.</summary>
    public string WorkKind = "";
    /// <summary>Where the service is physically given (upper-case country code); the issuer's country when not said.</summary>
    public string PerformedIn = "";
    /// <summary>Given in another country than the issuer's.</summary>
    public bool PerformedAbroad;

    /// <summary>As new: an evaluation without trace reuses its thread's facts objects (every field here, or a document sees the last one's).</summary>
    internal LineFacts Reset()
    {
        (Index, Category, Description, Quantity, UnitPrice, Net) = (0, "", "", 0m, 0m, 0m);
        (WorkKind, PerformedIn, PerformedAbroad) = ("", "", false);
        return this;
    }
}

public sealed class ClientFacts
{
    /// <summary>business | individual | public | nonprofit</summary>
    public string Kind = "";
    public string Country = "";
    public string VatNumber = "";
    public bool HasVatNumber;
    /// <summary>The VAT number passed its country plugin's check digits (false when there is no validator).</summary>
    public bool VatNumberValid;
    /// <summary>Client established in the issuer's country.</summary>
    public bool Domestic;
    /// <summary>Client established in another EU member state.</summary>
    public bool OtherEu;
    /// <summary>Client established outside the EU.</summary>
    public bool OutsideEu;
    /// <summary>Acts as a taxable person: a business or a VAT-registered body.</summary>
    public bool Taxable;
    public string LegalForm = "";
    public bool LegalFormKnown;
    public bool PublicBody;
    public bool NonProfit;

    /// <summary>As new: an evaluation without trace reuses its thread's facts objects (every field here, or a document sees the last one's).</summary>
    internal ClientFacts Reset()
    {
        (Kind, Country, VatNumber, HasVatNumber, VatNumberValid, Domestic, OtherEu, OutsideEu) = ("", "", "", false, false, false, false, false);
        (Taxable, LegalForm, LegalFormKnown, PublicBody, NonProfit) = (false, "", false, false, false);
        return this;
    }
}

public sealed class IssuerFacts
{
    public string Id = "";
    /// <summary>A recognised training body whose training is VAT-exempt (Belgium: Formateurs Associés).</summary>
    public bool RecognisedTrainingBody;

    /// <summary>As new: an evaluation without trace reuses its thread's facts objects (every field here, or a document sees the last one's).</summary>
    internal IssuerFacts Reset()
    {
        (Id, RecognisedTrainingBody) = ("", false);
        return this;
    }
}

public sealed class MemberFacts
{
    public decimal AuthorRightsYearToDate;
    public bool HasArtistAttestation;
    /// <summary>Age on the document's date; 0 when unknown.</summary>
    public int Age;
    /// <summary>Professional income of the year before this document; 0 when not given.</summary>
    public decimal ProfessionalIncomeYearToDate;

    /// <summary>As new: an evaluation without trace reuses its thread's facts objects (every field here, or a document sees the last one's).</summary>
    internal MemberFacts Reset()
    {
        (AuthorRightsYearToDate, HasArtistAttestation, Age, ProfessionalIncomeYearToDate) = (0m, false, 0, 0m);
        return this;
    }
}

public sealed class ContractFacts
{
    /// <summary>employee | artist | manual-worker</summary>
    public string JobCategory = "";
    public int Days;
    public decimal Hours;
    public decimal Budget;
}

/// <summary>A member's expense claim, as the expenses rules see it.</summary>
public sealed class ExpenseFacts
{
    /// <summary>One of the codes the rule set's categories list.</summary>
    public string Category = "";
    /// <summary>receipt | mileage | per-diem: what the category's amount is computed from.</summary>
    public string Kind = "";
    /// <summary>What the member paid, VAT included (receipts), or asked for (per diem); 0 when not given.</summary>
    public decimal Amount;
    /// <summary>The input VAT the receipt shows (given, or computed from its rate); 0 for mileage and per diem.</summary>
    public decimal Vat;
    /// <summary>Amount less its VAT.</summary>
    public decimal Net;
    public decimal Kilometres;
    public int Days;
}

/// <summary>The fixed input slots of every compiled expression, in argument order.</summary>
internal static class FactSlots
{
    public const int Doc = 0, Line = 1, Client = 2, Issuer = 3, Member = 4, Contract = 5, Expense = 6, Count = 7;

    public static readonly (string Name, Type Type)[] All =
    [
        ("doc", typeof(DocumentFacts)), ("line", typeof(LineFacts)), ("client", typeof(ClientFacts)),
        ("issuer", typeof(IssuerFacts)), ("member", typeof(MemberFacts)), ("contract", typeof(ContractFacts)),
        ("expense", typeof(ExpenseFacts)),
    ];
}
