using System.Globalization;
using System.Text;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Storage.Demo;

/// <summary>
/// A few expense claims on the first demo production units of each country with an expenses rule set — submitted, approved and refused,
/// a receipt, mileage and a per diem — so the list and the claim page have something to show. Runs after the directory seed, only on a
/// store without claims that the volume generator did not write.
/// </summary>
public sealed class ExpenseClaimDemoSeed(IExpenseClaimStore claims, IProductionUnitStore units, RuleBook rules, SmartDirectories directories,
    TimeProvider clock, ILogger<ExpenseClaimDemoSeed> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(directories.Data, "volume.json"))) return;
        if ((await claims.SearchAsync(new ExpenseClaimQuery(CountryScope.All) { Take = 1 }, cancellationToken)).Total > 0) return;
        var evaluator = new DocumentEvaluator(rules);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        foreach (var country in rules.Countries.Order(StringComparer.Ordinal))
        {
            if (rules.Find(country, Topics.Expenses, today) is not { } set) continue;
            var active = (await units.SearchAsync(new ProductionUnitQuery(CountryScope.Only(country)) { Status = ProductionUnitStatus.Active, Take = 3 }, cancellationToken)).Rows;
            if (active.Count == 0) continue;
            var codes = set.File.Categories.Select(c => c.Code).ToHashSet();
            var added = 0;
            foreach (var (claim, receipt, decision) in Demo(today))
            {
                if (!codes.Contains(claim.Category)) continue;
                var unit = active[added % active.Count];
                var document = new ExpenseDocument
                {
                    Country = country, Date = claim.Date, Category = claim.Category, Amount = claim.Amount, Vat = claim.Vat, Kilometres = claim.Kilometres, Days = claim.Days,
                };
                if (evaluator.EvaluateExpense(document).Value is not { } evaluation) continue;
                var stored = await claims.AddAsync((claim with { Country = country, ProductionUnitId = unit.Id, MemberId = unit.MemberId })
                    .WithEvaluation(evaluation), receipt, DirectoryDemoSeed.Actor, cancellationToken);
                if (decision is { } d) await claims.DecideAsync(stored.Id, stored.Version, d.Status, d.Reason, DirectoryDemoSeed.Actor, cancellationToken);
                added++;
            }
            logger.LogInformation("Seeded {Count} demo expense claims for {Country}", added, country);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static IEnumerable<(ExpenseClaim Claim, ExpenseReceipt? Receipt, (ExpenseClaimStatus Status, string? Reason)? Decision)> Demo(DateOnly today)
    {
        ExpenseClaim Claim(int daysAgo, string supplier, string category) => new() { Country = "", Category = category, Supplier = supplier, Date = today.AddDays(-daysAgo) };
        ExpenseReceipt Receipt(string text) => new(0, "demo-receipt.pdf", "application/pdf", ReceiptPdf(text));
        yield return (Claim(3, "Own car: Brussels – Liège and back", "mileage") with { Kilometres = 196m }, null, null);
        yield return (Claim(5, "Station service", "car-costs") with { Amount = 80.00m, Vat = 13.88m, ReceiptFileName = "demo-receipt.pdf", ReceiptContentType = "application/pdf" },
            Receipt("Fuel 80.00 EUR incl. VAT 13.88"), (ExpenseClaimStatus.Approved, null));
        yield return (Claim(8, "Papeterie", "supplies") with { Amount = 36.30m, Vat = 6.30m, ReceiptFileName = "demo-receipt.pdf", ReceiptContentType = "application/pdf" },
            Receipt("Paper and ink 36.30 EUR incl. VAT 6.30"), null);
        yield return (Claim(12, "Restaurant", "reception") with { Amount = 145.20m, Vat = 25.20m, ReceiptFileName = "demo-receipt.pdf", ReceiptContentType = "application/pdf" },
            Receipt("Dinner with a client 145.20 EUR incl. VAT 25.20"), (ExpenseClaimStatus.Refused, "A dinner with a client is not a cost of this unit's work (demo)"));
        yield return (Claim(15, "Tour day in Namur", "per-diem-belgium") with { Days = 2 }, null, null);
    }

    /// <summary>A one-page PDF showing <paramref name="text"/>, written by hand so the demo needs no PDF library.</summary>
    private static byte[] ReceiptPdf(string text)
    {
        var content = $"BT /F1 14 Tf 50 750 Td (DEMO RECEIPT) Tj 0 -24 Td ({text}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }
}
