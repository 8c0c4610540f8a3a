using Smart.Rules.Evaluation;

namespace Smart.Benchmarks;

/// <summary>A fixed, realistic mix of Belgian documents (seeded, so every run measures the same work).</summary>
public static class Workload
{
    private static readonly (string Category, int Weight)[] Mix =
        [("service", 40), ("artistic-performance", 20), ("author-rights", 15), ("training", 10), ("goods", 10), ("disbursement", 5)];

    public static InvoiceDocument[] Invoices(int count)
    {
        var random = new Random(2026);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var foreign = random.Next(100) < 19; // 81% of Smart Belgium's clients are in Belgium (DOMAIN.md)
            return new InvoiceDocument
            {
                Country = "BE",
                Date = new DateOnly(2026, 1, 1).AddDays(random.Next(300)),
                Issuer = random.Next(10) == 0 ? "formateurs-associes" : "smartcoop",
                Client = foreign
                    ? new ClientInfo { Kind = "business", Country = "FR", VatNumber = "FR44732829320" }
                    : new ClientInfo { Kind = random.Next(5) == 0 ? "individual" : "business", Country = "BE" },
                Member = new MemberInfo { AuthorRightsYearToDate = random.Next(0, 80_000), HasArtistAttestation = random.Next(2) == 0 },
                Lines = [.. Enumerable.Range(0, 1 + random.Next(4)).Select(_ => new InvoiceLine
                {
                    Description = "Work",
                    Category = Pick(random),
                    Quantity = 1 + random.Next(8),
                    UnitPrice = Math.Round((decimal)(random.NextDouble() * 900 + 20), 2),
                })],
            };
        })];
    }

    public static ContractDocument[] Contracts(int count)
    {
        var random = new Random(2027);
        string[] jobs = ["employee", "artist", "manual-worker"];
        return [.. Enumerable.Range(0, count).Select(_ => new ContractDocument
        {
            Country = "BE",
            Date = new DateOnly(2026, 1, 1).AddDays(random.Next(300)),
            JobCategory = jobs[random.Next(jobs.Length)],
            Days = 1 + random.Next(5),
            Hours = 8 * (1 + random.Next(5)),
            Budget = Math.Round((decimal)(random.NextDouble() * 3000 + 150), 2),
        })];
    }

    private static string Pick(Random random)
    {
        var n = random.Next(100);
        foreach (var (category, weight) in Mix)
        {
            if (n < weight) return category;
            n -= weight;
        }
        return "service";
    }
}
