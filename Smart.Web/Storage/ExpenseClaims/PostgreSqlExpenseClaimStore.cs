using Dapper;
using Npgsql;
using Smart.Rules.Evaluation;
using Smart.Web.Budget;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.ExpenseClaims;

/// <summary>
/// The expense claims and their receipts in PostgreSQL. An approval spends the claim's charge from its unit's budget in the same
/// transaction, the budget checked again under the unit's ledger lock: two approvals on one unit, on two instances, cannot both spend the same money.
/// </summary>
public sealed class PostgreSqlExpenseClaimStore : IExpenseClaimStore
{
    private readonly PostgreSqlDocumentRecords<ExpenseClaim> records;

    /// <summary>The table's writes, for the move from LiteDB (Storage/MoveUp).</summary>
    internal PostgreSqlDocumentRecords<ExpenseClaim> Records => records;
    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider clock;

    public PostgreSqlExpenseClaimStore(NpgsqlDataSource dataSource, TimeProvider clock)
    {
        (this.dataSource, this.clock) = (dataSource, clock);
        records = new(dataSource, clock, new DocumentTable<ExpenseClaim>("expense_claims", LiteDbExpenseClaimStore.AuditedEntityType,
            c => c.Id, c => c.Version, c => c.Country, (c, id, version, country) => c with { Id = id, Version = version, Country = country },
            ["status", "production_unit_id", "category", "date", "charged"],
            c => new
            {
                status = c.Status.ToString(), production_unit_id = c.ProductionUnitId, category = c.Category, date = Day(c.Date), charged = c.ChargedToUnit ?? 0m,
            },
            c => (PostgreSqlJson.Write(c.WithEvaluation(null)), c.Evaluation is null ? null : PostgreSqlJson.Write(c.Evaluation)),
            (document, evaluation) => PostgreSqlJson.Read<ExpenseClaim>(document).WithEvaluation(evaluation is null ? null : PostgreSqlJson.Read<ExpenseEvaluation>(evaluation))))
        {
            Alongside = async (connection, transaction, before, after, actor) =>
            {
                if (!ExpenseClaim.IsApproval(before, after)) return;
                await PostgreSqlLedgerStore.LockUnitAsync(connection, transaction, after.ProductionUnitId, CancellationToken.None);
                var available = (await PostgreSqlLedgerStore.TotalsOfAsync(connection, transaction, after.ProductionUnitId, CancellationToken.None)).Available;
                if (!after.FitsBudget(available)) throw new BudgetExceededException(available);
                await PostgreSqlLedgerStore.WriteWithinAsync(connection, transaction,
                    [LedgerRules.ExpenseClaim(after, DateOnly.FromDateTime(clock.GetLocalNow().DateTime), actor, clock.GetUtcNow().UtcDateTime)], CancellationToken.None);
            },
        };
    }

    public Task<SearchResult<ExpenseClaim>> SearchAsync(ExpenseClaimQuery query, CancellationToken cancellationToken = default)
    {
        if (query.Scope.Countries is { Count: 0 }) return Task.FromResult(SearchResult<ExpenseClaim>.Empty);
        var filter = Filter(query);
        return records.SearchAsync(filter.Where, filter.Parameters, OrderBy(query), query.Skip, query.Take, cancellationToken);
    }

    public IAsyncEnumerable<ExpenseClaim> ExportAsync(ExpenseClaimQuery query, CancellationToken cancellationToken = default) =>
        query.Scope.Countries is { Count: 0 }
            ? AsyncEnumerable.Empty<ExpenseClaim>()
            : records.ExportAsync(Filter(query).Where, () => Filter(query).Parameters, OrderBy(query), cancellationToken);

    public Task<ExpenseClaim?> GetAsync(int id, CancellationToken cancellationToken = default) => records.GetAsync(id, cancellationToken);

    public Task<ExpenseClaim> AddAsync(ExpenseClaim claim, ExpenseReceipt? receipt, AuditActor actor, CancellationToken cancellationToken = default) =>
        records.InsertAsync(claim, actor, receipt is null ? null : (connection, transaction, stored) => connection.ExecuteAsync(new CommandDefinition(
            "insert into expense_receipts (claim_id, file_name, content_type, content) values (@ClaimId, @FileName, @ContentType, @Content)",
            receipt with { ClaimId = stored.Id }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public async Task<ExpenseReceipt?> ReceiptAsync(int claimId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ExpenseReceipt>(new CommandDefinition(
            "select claim_id as ClaimId, file_name as FileName, content_type as ContentType, content as Content from expense_receipts where claim_id = @claimId",
            new { claimId }, cancellationToken: cancellationToken));
    }

    public async Task<decimal> ApprovedChargesAsync(int productionUnitId, int? exceptClaimId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<decimal>(new CommandDefinition(
            "select coalesce(sum(charged), 0) from expense_claims where production_unit_id = @productionUnitId and status = 'Approved' and id <> coalesce(@exceptClaimId, 0)",
            new { productionUnitId, exceptClaimId }, cancellationToken: cancellationToken));
    }

    public Task<UpdateOutcome<ExpenseClaim>> DecideAsync(int id, int expectedVersion, ExpenseClaimStatus decision, string? reason, AuditActor actor,
        CancellationToken cancellationToken = default) =>
        records.UpdateAsync(id, actor, stored =>
            stored.CanBeDecided(expectedVersion) ? stored.Decide(decision, reason, actor.Name, clock.GetUtcNow().UtcDateTime) : null, cancellationToken);

    private static PostgreSqlDocumentRecords<ExpenseClaim>.Filter Filter(ExpenseClaimQuery query)
    {
        var filter = new PostgreSqlDocumentRecords<ExpenseClaim>.Filter(query.Scope)
            .Common(query.Country, query.Status?.ToString(), query.ProductionUnitId, "date", query.From, query.To);
        return string.IsNullOrWhiteSpace(query.Category) ? filter : filter.Add("category = @category", "category", query.Category.Trim());
    }

    private static string OrderBy(ExpenseClaimQuery query) => query.Sort switch
    {
        ExpenseClaimSort.Country => PostgreSqlDocumentRecords<ExpenseClaim>.OrderBy(query.Descending, "country", "date"),
        ExpenseClaimSort.Status => PostgreSqlDocumentRecords<ExpenseClaim>.OrderBy(query.Descending, "status", "date"),
        ExpenseClaimSort.Amount => PostgreSqlDocumentRecords<ExpenseClaim>.OrderBy(query.Descending, "charged"),
        _ => PostgreSqlDocumentRecords<ExpenseClaim>.OrderBy(query.Descending, "date"),
    };

    private static DateTime Day(DateOnly day) => day.ToDateTime(TimeOnly.MinValue);
}
