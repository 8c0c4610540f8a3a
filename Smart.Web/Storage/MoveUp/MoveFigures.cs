using System.Globalization;
using Dapper;
using Npgsql;
using Smart.Web.BankStatements;
using Smart.Web.Budget;

namespace Smart.Web.Storage.MoveUp;

/// <summary>One line of the comparison: what a kind of record counts and sums to, in a country and year ("-" for a count of all years).</summary>
public sealed record MoveFigure(string Kind, string Country, string Year, long Count, decimal First, decimal Second);

/// <summary>A line of both sides side by side; <see cref="Same"/> when the two agree to the cent.</summary>
public sealed record MoveComparisonLine(string Kind, string Country, string Year, MoveFigure? LiteDb, MoveFigure? PostgreSql, string FirstName, string SecondName)
{
    public bool Same => LiteDb is not null && PostgreSql is not null
        && LiteDb.Count == PostgreSql.Count && LiteDb.First == PostgreSql.First && LiteDb.Second == PostgreSql.Second;
}

/// <summary>
/// The figures a move is checked by, per country and year: counts and sums of amounts of invoices, credit notes, contracts, expense claims
/// and ledger entries, the withholding and lump-sum differences of regularisation statements, counts of the directory and the rest. Each side is read its own way: LiteDB through its stores, PostgreSQL by SQL on
/// its tables' columns and documents, so a value the copy wrote wrongly shows as a difference.
/// </summary>
public static class MoveFigures
{
    // What a kind's two sums are.
    private static readonly Dictionary<string, (string First, string Second)> Sums = new()
    {
        ["invoices"] = ("gross", "net"),
        ["credit notes"] = ("gross", "net"),
        ["contracts"] = ("budget", "-"),
        ["expense claims"] = ("amount", "charged"),
        ["ledger entries"] = ("amount", "reserved"),
        ["production units"] = ("available", "-"),
        ["invoice numbers"] = ("last", "-"),
        ["members' income"] = ("author rights", "professional"),
        ["correction runs"] = ("statements", "corrected"),
        ["regularisation statements"] = ("withheld diff", "lump sum diff"),
    };

    public static IReadOnlyList<MoveFigure> OfLiteDb(string dataDirectory)
    {
        using var source = new LiteDbSource(dataDirectory);
        var (invoices, claims, ledger, reminders, simulations, statements) =
            (source.Invoices, source.Claims, source.Ledger, source.Reminders, source.Simulations, source.Statements);
        var figures = new List<MoveFigure>();
        void Add<T>(string kind, IEnumerable<T> rows, Func<T, string> country, Func<T, string> year, Func<T, decimal> first, Func<T, decimal> second) =>
            figures.AddRange(rows.GroupBy(r => (Country: CountryCode.Normalise(country(r)), Year: year(r)))
                .Select(g => new MoveFigure(kind, g.Key.Country, g.Key.Year, g.LongCount(), g.Sum(first), g.Sum(second))));
        static string Y(DateOnly date) => date.Year.ToString(CultureInfo.InvariantCulture);

        var allInvoices = invoices.All().Select(i => (i.Country, i.Date, i.CreditNoteForId, i.Evaluation?.Totals)).ToList();
        Add("invoices", allInvoices.Where(i => i.CreditNoteForId is null), i => i.Country, i => Y(i.Date), i => i.Totals?.Gross ?? 0m, i => i.Totals?.Net ?? 0m);
        Add("credit notes", allInvoices.Where(i => i.CreditNoteForId is not null), i => i.Country, i => Y(i.Date), i => i.Totals?.Gross ?? 0m, i => i.Totals?.Net ?? 0m);
        Add("invoice files", invoices.Files().Select(f => f.InvoiceId), _ => "-", _ => "-", _ => 0m, _ => 0m);
        Add("invoice numbers", invoices.NumberCounters(), c => c.Sequence, c => c.Year.ToString(CultureInfo.InvariantCulture), c => c.Last, _ => 0m);
        Add("members' income", invoices.IncomeYears(), _ => "-", y => y.Year.ToString(CultureInfo.InvariantCulture), y => y.Income.AuthorRights, y => y.Income.ProfessionalIncome);
        Add("contracts", source.Contracts.All(), c => c.Country, c => Y(c.StartDate), c => c.Budget, _ => 0m);
        Add("expense claims", claims.All(), c => c.Country, c => Y(c.Date), c => c.Amount ?? 0m, c => c.ChargedToUnit ?? 0m);
        Add("expense receipts", claims.Receipts(), _ => "-", _ => "-", _ => 0m, _ => 0m);
        Add("ledger entries", ledger.All(), e => e.Country, e => Y(e.Date), e => e.Amount, e => e.Reserved);
        Add("members", source.Members.All(), m => m.Country, _ => "-", _ => 0m, _ => 0m);
        Add("production units", source.Units.All(), u => u.Unit.Country, _ => "-", u => u.Unit.AvailableBudget, _ => 0m);
        Add("clients", source.Clients.All(), c => c.Country, _ => "-", _ => 0m, _ => 0m);
        Add("accounts", source.Accounts.All(), _ => "-", _ => "-", _ => 0m, _ => 0m);
        Add("API keys", source.ApiKeys.All(), _ => "-", _ => "-", _ => 0m, _ => 0m);
        Add("rule-set versions", source.RuleSets.All(), v => v.Country, v => v.Status.ToString(), _ => 0m, _ => 0m);
        Add("e-invoice outbox", source.Outbox.All(), e => e.Country, e => e.Status.ToString(), _ => 0m, _ => 0m);
        Add("payment reminders", reminders.All(), r => r.Reminder.Country, _ => "-", _ => 0m, _ => 0m);
        Add("re-evaluation runs", source.Reevaluations.All(), r => r.Country ?? "-", _ => "-", _ => 0m, _ => 0m);
        Add("impact simulations", simulations.All(), _ => "-", _ => "-", _ => 0m, _ => 0m);
        Add("simulated documents", simulations.Documents(), _ => "-", _ => "-", _ => 0m, _ => 0m);
        Add("bank statements", statements.All(), s => s.Country, _ => "-", _ => 0m, _ => 0m);
        Add("statement lines", statements.Lines(), l => l.Country, _ => "-", _ => 0m, _ => 0m);
        // Correction runs per country and status; their statements per country and year, with the differences of their lines; their
        // corrective pairs per the run's country and stage.
        var runs = source.Corrections.All().ToList();
        Add("correction runs", runs, r => r.Country, r => r.Status.ToString(), r => r.Statements, r => r.Corrected);
        Add("regularisation statements", source.Corrections.AllStatements(), s => s.Country, s => s.Year.ToString(CultureInfo.InvariantCulture),
            s => s.Lines.Sum(l => l.Due.Withholding - l.Applied.Withholding), s => s.Lines.Sum(l => l.Due.LumpSum - l.Applied.LumpSum));
        var runCountry = runs.ToDictionary(r => r.Id, r => r.Country);
        Add("corrective documents", source.Corrections.AllCorrections(), d => runCountry.GetValueOrDefault(d.RunId, "-"), d => d.Stage.ToString(), _ => 0m, _ => 0m);
        Add("audit entries", source.Audit.All(), e => e.Country, _ => "-", _ => 0m, _ => 0m);
        return figures;
    }

    public static async Task<IReadOnlyList<MoveFigure>> OfPostgreSqlAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var figures = new List<MoveFigure>();
        async Task Add(string kind, string sql)
        {
            var rows = await connection.QueryAsync<(string Country, string Year, long Count, decimal First, decimal Second)>(
                new CommandDefinition(sql, commandTimeout: 0, cancellationToken: cancellationToken));
            figures.AddRange(rows.Select(r => new MoveFigure(kind, r.Country, r.Year, r.Count, r.First, r.Second)));
        }
        const string year = "extract(year from {0})::integer::text";
        string Yearly(string table, string date, string first, string second, string where = "true") =>
            $"select country, {string.Format(CultureInfo.InvariantCulture, year, date)} as year, count(*), coalesce(sum({first}), 0), coalesce(sum({second}), 0) from {table} where {where} group by 1, 2";
        string Counted(string table, string country = "country", string group = "'-'") =>
            $"select {country} as country, {group} as year, count(*), 0::numeric, 0::numeric from {table} group by 1, 2";

        const string net = "coalesce((document -> 'Evaluation' -> 'Totals' ->> 'Net')::numeric, 0)";
        await Add("invoices", Yearly("invoices", "date", "total", net, "credit_note_for_id is null"));
        await Add("credit notes", Yearly("invoices", "date", "total", net, "credit_note_for_id is not null"));
        await Add("invoice files", Counted("invoice_files", "'-'"));
        await Add("invoice numbers", "select sequence, year::text, count(*), sum(last)::numeric, 0::numeric from invoice_numbers group by 1, 2");
        await Add("members' income", "select '-', year::text, count(*), sum(amount), sum(professional_income) from author_rights_years group by 1, 2");
        await Add("contracts", Yearly("contracts", "start_date", "budget", "0"));
        await Add("expense claims", Yearly("expense_claims", "date", "coalesce((document ->> 'Amount')::numeric, 0)", "charged"));
        await Add("expense receipts", Counted("expense_receipts", "'-'"));
        await Add("ledger entries", Yearly("ledger_entries", "date", "amount", "reserved"));
        await Add("members", Counted("members"));
        // As the app reads a unit: its budget is the row's column (the ledger's figure), not its document's.
        await Add("production units", "select country, '-', count(*), sum(available_budget), 0::numeric from production_units group by 1, 2");
        await Add("clients", Counted("clients"));
        await Add("accounts", Counted("accounts", "'-'"));
        await Add("API keys", Counted("api_keys", "'-'"));
        await Add("rule-set versions", Counted("rule_set_versions", group: "status"));
        await Add("e-invoice outbox", Counted("einvoice_outbox", group: "status"));
        await Add("payment reminders", Counted("reminders"));
        await Add("re-evaluation runs", Counted("reevaluation_runs", "coalesce(country, '-')"));
        await Add("impact simulations", Counted("simulations", "'-'"));
        await Add("simulated documents", Counted("simulation_documents", "'-'"));
        await Add("bank statements", Counted("bank_statements"));
        await Add("statement lines", Counted("statement_lines"));
        await Add("correction runs", """
            select country, status, count(*), coalesce(sum((document ->> 'Statements')::numeric), 0), coalesce(sum((document ->> 'Corrected')::numeric), 0)
            from correction_runs group by 1, 2
            """);
        await Add("regularisation statements", """
            select upper(s.document ->> 'Country'), s.year::text, count(*), coalesce(sum(d.withheld), 0), coalesce(sum(d.lump_sum), 0)
            from regularisation_statements s cross join lateral (
                select sum((l -> 'Due' ->> 'Withholding')::numeric - (l -> 'Applied' ->> 'Withholding')::numeric) as withheld,
                       sum((l -> 'Due' ->> 'LumpSum')::numeric - (l -> 'Applied' ->> 'LumpSum')::numeric) as lump_sum
                from jsonb_array_elements(s.document -> 'Lines') l) d
            group by 1, 2
            """);
        await Add("corrective documents", """
            select coalesce(r.country, '-'), c.document ->> 'Stage', count(*), 0::numeric, 0::numeric
            from corrective_documents c left join correction_runs r on r.id = c.run_id group by 1, 2
            """);
        await Add("audit entries", Counted("audit"));
        return figures;
    }

    /// <summary>Both sides line by line, in kind, country and year order; a line one side lacks is a difference.</summary>
    public static IReadOnlyList<MoveComparisonLine> Compare(IReadOnlyList<MoveFigure> liteDb, IReadOnlyList<MoveFigure> postgreSql)
    {
        var left = liteDb.ToDictionary(f => (f.Kind, f.Country, f.Year));
        var right = postgreSql.ToDictionary(f => (f.Kind, f.Country, f.Year));
        var kinds = liteDb.Concat(postgreSql).Select(f => f.Kind).Distinct().ToList();
        return left.Keys.Union(right.Keys)
            .OrderBy(k => kinds.IndexOf(k.Kind)).ThenBy(k => k.Country, StringComparer.Ordinal).ThenBy(k => k.Year, StringComparer.Ordinal)
            .Select(k => new MoveComparisonLine(k.Kind, k.Country, k.Year, left.GetValueOrDefault(k), right.GetValueOrDefault(k),
                Sums.TryGetValue(k.Kind, out var names) ? names.First : "-", Sums.TryGetValue(k.Kind, out names) ? names.Second : "-"))
            .ToList();
    }

    /// <summary>The comparison as a table: one line per kind, country and year, both sides' count and sums, and whether they agree.</summary>
    public static void Print(IReadOnlyList<MoveComparisonLine> lines, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"kind",-25} {"country",-7} {"year",-9} | {"LiteDB",9} {"PostgreSQL",10} | {"sum",-14} {"LiteDB",16} {"PostgreSQL",16} | {"sum",-13} {"LiteDB",16} {"PostgreSQL",16} | check"));
        foreach (var line in lines)
        {
            static string Sum(decimal? value, string name) => name == "-" || value is null ? "" : value.Value.ToString("N2", CultureInfo.InvariantCulture);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{line.Kind,-25} {line.Country,-7} {line.Year,-9} | {line.LiteDb?.Count,9} {line.PostgreSql?.Count,10} | {line.FirstName,-14} {Sum(line.LiteDb?.First, line.FirstName),16} {Sum(line.PostgreSql?.First, line.FirstName),16} | {line.SecondName,-13} {Sum(line.LiteDb?.Second, line.SecondName),16} {Sum(line.PostgreSql?.Second, line.SecondName),16} | {(line.Same ? "ok" : "DIFFERENT")}"));
        }
    }
}
