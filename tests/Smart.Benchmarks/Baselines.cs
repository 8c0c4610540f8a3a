using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;

namespace Smart.Benchmarks;

/// <summary>
/// The practical speed limit: Belgian invoice rules written by hand in C#, rates as constants, no trace, no rule files.
/// Same arithmetic as the rule files (line nets rounded per line, VAT rounded once per rate group), and the same late-payment
/// terms the app stores with every invoice (statutory or legal interest on the due date, the €40, Book XIX's penalty cap).
/// </summary>
public static class BelgianRulesByHand
{
    private static readonly HashSet<string> Eu = ["AT", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

    public static HandResult Evaluate(InvoiceDocument invoice)
    {
        var recognisedTrainingBody = invoice.Issuer == "formateurs-associes";
        var otherEuBusiness = invoice.Client.Country != "BE" && Eu.Contains(invoice.Client.Country) && invoice.Client.Kind == "business" && invoice.Client.VatNumber is not null;
        var outsideEuBusiness = invoice.Client.Country != "BE" && !Eu.Contains(invoice.Client.Country) && invoice.Client.Kind == "business";
        var outsideEu = invoice.Client.Country != "BE" && !Eu.Contains(invoice.Client.Country);
        decimal net = 0, turnover = 0, base21 = 0, base6 = 0;
        foreach (var line in invoice.Lines)
        {
            var lineNet = Math.Round(line.Quantity * line.UnitPrice, 2, MidpointRounding.AwayFromZero);
            net += lineNet;
            if (line.Category == "disbursement") continue;
            turnover += lineNet;
            if (line.Category == "training" && recognisedTrainingBody) continue;
            if (line.Category != "goods" && (otherEuBusiness || outsideEuBusiness)) continue;
            if (line.Category == "goods" && (otherEuBusiness || outsideEu)) continue; // intra-community supply (art. 39bis) or export (art. 39)
            if (line.Category is "author-rights" or "artistic-performance") base6 += lineNet;
            else base21 += lineNet;
        }
        var vat = Math.Round(base21 * 0.21m, 2, MidpointRounding.AwayFromZero) + Math.Round(base6 * 0.06m, 2, MidpointRounding.AwayFromZero);
        return new(net, vat, Math.Round(turnover * 0.065m, 2, MidpointRounding.AwayFromZero),
            LatePayment(invoice.DueDate ?? invoice.Date, invoice.Client.Kind, net + vat));
    }

    // Late payment (rules/be/late-payment.json): the rates by half-year, in force on the due date.
    private static readonly DateOnly LatePaymentFrom = new(2016, 7, 1), BookXixFrom = new(2023, 9, 1);
    private static readonly (DateOnly From, decimal Rate)[] StatutoryRate =
        [(new(2016, 7, 1), 0.08m), (new(2023, 1, 1), 0.105m), (new(2023, 7, 1), 0.12m), (new(2024, 1, 1), 0.125m), (new(2025, 1, 1), 0.115m), (new(2025, 7, 1), 0.105m)];
    private static readonly (DateOnly From, decimal Rate)[] LegalRate =
        [(new(2016, 7, 1), 0.0525m), (new(2024, 1, 1), 0.0575m), (new(2025, 1, 1), 0.045m)];
    private static readonly int[] ReminderDays = [15, 30, 45];

    private static HandLatePayment? LatePayment(DateOnly due, string clientKind, decimal gross)
    {
        if (due < LatePaymentFrom) return null;
        if (clientKind != "individual") return new(RateOn(StatutoryRate, due), 40m, ReminderDays, null);
        if (due < BookXixFrom) return null; // consumers: no terms before Book XIX
        // Book XIX: no €40, the legal rate (no interest clause), the penalty capped by band.
        var cap = gross <= 150m ? 20m : gross <= 500m ? 30m + 0.1m * (gross - 150m) : Math.Min(2000m, 65m + 0.05m * (gross - 500m));
        return new(RateOn(LegalRate, due), 0m, ReminderDays, Math.Round(cap, 2, MidpointRounding.AwayFromZero));
    }

    private static decimal RateOn((DateOnly From, decimal Rate)[] rates, DateOnly date)
    {
        for (var i = rates.Length - 1; i > 0; i--)
            if (rates[i].From <= date) return rates[i].Rate;
        return rates[0].Rate;
    }
}

/// <summary>What the hand-written rules give an invoice: the amounts, and the late-payment terms (null where none apply).</summary>
public readonly record struct HandResult(decimal Net, decimal Vat, decimal Contribution, HandLatePayment? LatePayment)
{
    /// <summary>The engine's evaluation gives the same amounts and the same late-payment terms.</summary>
    public bool Agrees(InvoiceEvaluation e) =>
        (e.Totals.Net, e.Totals.Vat, e.Contribution.Amount) == (Net, Vat, Contribution)
        && (LatePayment, e.LatePayment) switch
        {
            (null, null) => true,
            ({ } mine, { } engine) => (engine.InterestRate, engine.FlatCompensation, engine.PenaltyCap) == (mine.InterestRate, mine.FlatCompensation, mine.PenaltyCap)
                && engine.ReminderDays.SequenceEqual(mine.ReminderDays),
            _ => false,
        };
}

public sealed record HandLatePayment(decimal InterestRate, decimal FlatCompensation, IReadOnlyList<int> ReminderDays, decimal? PenaltyCap);

/// <summary>
/// The naive use of Microsoft RulesEngine: a new engine per document, built from the same workflows, so every
/// document pays for parsing and compiling its rules; each line runs the whole VAT workflow and takes the first success.
/// </summary>
public static class NaiveRulesEngine
{
    public static (decimal Net, decimal Vat, decimal Contribution) Evaluate(RuleBook book, InvoiceDocument invoice)
    {
        var vat = book.Find(invoice.Country, Topics.Vat, invoice.Date)!;
        var contribution = book.Find(invoice.Country, Topics.Contribution, invoice.Date)!;
        var engine = new RulesEngine.RulesEngine([vat.File.Workflow, contribution.File.Workflow], StockEngineInputs.Settings([]));
        var issuer = new IssuerFacts { Id = invoice.Issuer ?? "smartcoop", RecognisedTrainingBody = invoice.Issuer == "formateurs-associes" };
        var country = invoice.Client.Country;
        var client = new ClientFacts
        {
            Kind = invoice.Client.Kind, Country = country, HasVatNumber = invoice.Client.VatNumber is not null,
            Domestic = country == "BE", OtherEu = country != "BE" && EuropeanUnion.IsMember(country, invoice.Date),
            OutsideEu = !EuropeanUnion.IsMember(country, invoice.Date), Taxable = invoice.Client.Kind == "business",
        };
        var groups = new Dictionary<decimal, decimal>();
        decimal net = 0, turnover = 0;
        foreach (var line in invoice.Lines)
        {
            var lineNet = Math.Round(line.Quantity * line.UnitPrice, 2, MidpointRounding.AwayFromZero);
            net += lineNet;
            if (line.Category != "disbursement") turnover += lineNet;
            var facts = new LineFacts { Category = line.Category, Net = lineNet, Quantity = line.Quantity, UnitPrice = line.UnitPrice };
            var results = engine.ExecuteAllRulesAsync(vat.File.Workflow.WorkflowName,
                StockEngineInputs.For(vat, invoice.Date, line: facts, client: client, issuer: issuer)).GetAwaiter().GetResult();
            var rate = (decimal)results.First(r => r.IsSuccess).ActionResult.Output;
            groups[rate] = groups.GetValueOrDefault(rate) + lineNet;
        }
        var doc = new DocumentFacts { Country = "BE", TurnoverNet = turnover, Net = net };
        var contributionResults = engine.ExecuteAllRulesAsync(contribution.File.Workflow.WorkflowName,
            StockEngineInputs.For(contribution, invoice.Date, doc: doc)).GetAwaiter().GetResult();
        var contributionRate = (decimal)contributionResults.First(r => r.IsSuccess).ActionResult.Output;
        var vatTotal = groups.Sum(g => Math.Round(g.Value * g.Key, 2, MidpointRounding.AwayFromZero));
        return (net, vatTotal, Math.Round(turnover * contributionRate, 2, MidpointRounding.AwayFromZero));
    }
}
