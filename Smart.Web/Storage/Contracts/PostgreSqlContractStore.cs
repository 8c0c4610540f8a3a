using Dapper;
using Npgsql;
using Smart.Rules.Evaluation;
using Smart.Web.Budget;
using Smart.Web.Reevaluation;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Contracts;

/// <summary>
/// The employment contracts in PostgreSQL. Every save moves the unit's reservation in the ledger inside its own transaction, under the
/// unit's ledger lock, as the LiteDB store does.
/// </summary>
public sealed class PostgreSqlContractStore : IContractStore
{
    private readonly PostgreSqlDocumentRecords<Contract> records;

    /// <summary>The table's writes, for the move from LiteDB (Storage/MoveUp).</summary>
    internal PostgreSqlDocumentRecords<Contract> Records => records;

    public PostgreSqlContractStore(NpgsqlDataSource dataSource, TimeProvider clock)
    {
        records = new(dataSource, clock, new DocumentTable<Contract>("contracts", LiteDbContractStore.AuditedEntityType,
            c => c.Id, c => c.Version, c => c.Country, (c, id, version, country) => c with { Id = id, Version = version, Country = country },
            ["status", "production_unit_id", "start_date", "budget", "salary_paid_on"],
            c => new
            {
                status = c.Status.ToString(), production_unit_id = c.ProductionUnitId, start_date = Day(c.StartDate), budget = c.Budget,
                salary_paid_on = c.SalaryPaidOn is { } paid ? Day(paid) : (DateTime?)null,
            },
            c => (PostgreSqlJson.Write(c.WithEvaluation(null)), c.Evaluation is null ? null : PostgreSqlJson.Write(c.Evaluation)),
            (document, evaluation) => PostgreSqlJson.Read<Contract>(document).WithEvaluation(evaluation is null ? null : PostgreSqlJson.Read<ContractEvaluation>(evaluation))))
        {
            Alongside = async (connection, transaction, before, after, actor) =>
            {
                var cancellationToken = CancellationToken.None;
                await PostgreSqlLedgerStore.LockUnitAsync(connection, transaction, after.ProductionUnitId, cancellationToken);
                var held = await PostgreSqlLedgerStore.ReservedByAsync(connection, transaction, LedgerSource.Contract, after.Id, cancellationToken);
                var unit = LedgerRules.ContractReadsUnitTotals(before, after)
                    ? await PostgreSqlLedgerStore.TotalsOfAsync(connection, transaction, after.ProductionUnitId, cancellationToken)
                    : LedgerTotals.None;
                await PostgreSqlLedgerStore.WriteWithinAsync(connection, transaction, LedgerRules.Contract(before, after, held, unit,
                    DateOnly.FromDateTime(clock.GetLocalNow().DateTime), actor, clock.GetUtcNow().UtcDateTime), cancellationToken);
            },
        };
    }

    public Task<SearchResult<Contract>> SearchAsync(ContractQuery query, CancellationToken cancellationToken = default)
    {
        if (query.Scope.Countries is { Count: 0 }) return Task.FromResult(SearchResult<Contract>.Empty);
        var filter = Filter(query);
        return records.SearchAsync(filter.Where, filter.Parameters, OrderBy(query), query.Skip, query.Take, cancellationToken);
    }

    public IAsyncEnumerable<Contract> ExportAsync(ContractQuery query, CancellationToken cancellationToken = default) =>
        query.Scope.Countries is { Count: 0 }
            ? AsyncEnumerable.Empty<Contract>()
            : records.ExportAsync(Filter(query).Where, () => Filter(query).Parameters, OrderBy(query), cancellationToken);

    public Task<Contract?> GetAsync(int id, CancellationToken cancellationToken = default) => records.GetAsync(id, cancellationToken);

    public async Task<decimal> HeldBudgetAsync(int productionUnitId, int? exceptContractId, CancellationToken cancellationToken = default) =>
        (await records.ReadAsync($"{records.Select} where production_unit_id = @productionUnitId and status = 'Draft' and id <> coalesce(@exceptContractId, 0)",
            new { productionUnitId, exceptContractId }, cancellationToken)).Sum(c => c.Budget);

    public Task<UpdateOutcome<Contract>> PaySalaryAsync(int id, DateOnly paidOn, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.UpdateAsync(id, actor, stored => stored.CanPaySalary ? stored.PaySalary(paidOn) : null, cancellationToken);

    // The confirmed unpaid contracts by id; Contract.IsSalaryDueOn decides which are due (its last work day is computed).
    public async Task<IReadOnlyList<Contract>> SalaryDueAsync(DateOnly today, int afterId, int take, CancellationToken cancellationToken = default)
    {
        var due = new List<Contract>();
        for (var cursor = afterId; due.Count < take;)
        {
            var batch = await records.ReadAsync($"{records.Select} where status = 'Confirmed' and salary_paid_on is null and id > @cursor order by id limit 500",
                new { cursor }, cancellationToken);
            if (batch.Count == 0) break;
            due.AddRange(batch.Where(c => c.IsSalaryDueOn(today)));
            cursor = batch[^1].Id;
        }
        return due.Take(take).ToList();
    }

    public Task<Contract> AddAsync(Contract contract, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.InsertAsync(contract, actor, null, cancellationToken);

    public Task<UpdateOutcome<Contract>> UpdateAsync(Contract contract, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.UpdateAsync(contract, expectedVersion, actor, cancellationToken);

    // Contract.CanBeReevaluated's filter (status in the list, salary not paid): a paid contract is not read.
    public Task<IReadOnlyList<Contract>> AfterAsync(string? country, IReadOnlyCollection<ContractStatus> statuses, int afterId, int take,
        CancellationToken cancellationToken = default) =>
        records.ReadAsync($"{records.Select} where id > @afterId and status = any(@statuses) and salary_paid_on is null and (@country::text is null or country = @country) order by id limit @take",
            new { afterId, statuses = statuses.Select(s => s.ToString()).ToArray(), country = CountryCode.NormaliseOrNull(country), take }, cancellationToken);

    public Task<IReadOnlyList<Contract>> StartingAfterAsync(string country, DateOnly from, DateOnly to, int afterId, int take, CancellationToken cancellationToken = default) =>
        records.ReadAsync($"{records.Select} where id > @afterId and country = @country and start_date between @from::date and @to::date order by id limit @take",
            new { afterId, country = CountryCode.Normalise(country), from = Day(from), to = Day(to), take }, cancellationToken);

    public Task<IReadOnlyList<bool>> ReplaceEvaluationsAsync(IReadOnlyList<EvaluationReplacement<ContractEvaluation>> replacements,
        IReadOnlyCollection<ContractStatus> statuses, AuditActor actor, RunAdvance? advance = null, CancellationToken cancellationToken = default)
    {
        var changes = replacements.ToDictionary(r => r.Id, r => r.Changes);
        return records.UpdateManyAsync(
            replacements.Select(r => (r.Id, (Func<Contract, Contract?>)(stored =>
                stored.CanBeReevaluated(statuses, r.ExpectedVersion) ? stored.WithEvaluation(r.Evaluation) : null))).ToList(),
            actor, (_, updated) => changes[updated.Id], cancellationToken,
            advance is null ? null : async (connection, transaction, written) =>
            {
                if (!await PostgreSqlReevaluationStore.AdvanceAsync(connection, transaction, advance, written, cancellationToken))
                    throw new RunMovedOnException(advance.RunId);
            });
    }

    private static PostgreSqlDocumentRecords<Contract>.Filter Filter(ContractQuery query)
    {
        var filter = new PostgreSqlDocumentRecords<Contract>.Filter(query.Scope)
            .Common(query.Country, query.Status?.ToString(), query.ProductionUnitId, "start_date", query.StartFrom, query.StartTo);
        if (query.SalaryPaid is { } paid) filter.Add("(salary_paid_on is not null) = @paid", "paid", paid);
        return filter;
    }

    // As the LiteDB list: country and status break ties by start date.
    private static string OrderBy(ContractQuery query) => query.Sort switch
    {
        ContractSort.Country => PostgreSqlDocumentRecords<Contract>.OrderBy(query.Descending, "country", "start_date"),
        ContractSort.Status => PostgreSqlDocumentRecords<Contract>.OrderBy(query.Descending, "status", "start_date"),
        ContractSort.Budget => PostgreSqlDocumentRecords<Contract>.OrderBy(query.Descending, "budget"),
        _ => PostgreSqlDocumentRecords<Contract>.OrderBy(query.Descending, "start_date"),
    };

    private static DateTime Day(DateOnly day) => day.ToDateTime(TimeOnly.MinValue);
}
