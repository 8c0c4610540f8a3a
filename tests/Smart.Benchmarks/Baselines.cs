using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;

namespace Smart.Benchmarks;

/// <summary>
/// The practical speed limit: Belgian invoice rules written by hand in C#, rates as constants, no trace, no rule files.
/// Same arithmetic as the rule files (line nets rounded per line, VAT rounded once per rate group).
/// </summary>
public static class BelgianRulesByHand
{
    private static readonly HashSet<string> Eu = ["AT", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

    public static (decimal Net, decimal Vat, decimal Contribution) Evaluate(InvoiceDocument invoice)
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
        return (net, vat, Math.Round(turnover * 0.065m, 2, MidpointRounding.AwayFromZero));
    }
}

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
