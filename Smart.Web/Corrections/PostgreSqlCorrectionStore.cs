using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Corrections;

/// <summary>
/// Correction runs in PostgreSQL (migration 0006): a statement's key is the primary key (run, member, year) and a corrective pair's (run,
/// invoice), so a statement written again after a restart is refused by the insert itself.
/// </summary>
public sealed class PostgreSqlCorrectionStore(NpgsqlDataSource dataSource) : ICorrectionStore
{
    public async Task<CorrectionRun> AddAsync(CorrectionRun run, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "insert into correction_runs (country, status, document) values (@Country, @Status, '{}'::jsonb) returning id",
            new { run.Country, Status = run.Status.ToString() }, transaction, cancellationToken: cancellationToken));
        var added = run with { Id = id };
        await SaveAsync(connection, transaction, added, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<CorrectionRun?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var document = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("select document::text from correction_runs where id = @id",
            new { id }, cancellationToken: cancellationToken));
        return document is null ? null : PostgreSqlJson.Read<CorrectionRun>(document) with { Id = id };
    }

    public async Task SaveAsync(CorrectionRun run, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await SaveAsync(connection, null, run, cancellationToken);
    }

    private static Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CorrectionRun run, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("update correction_runs set country = @Country, status = @Status, document = @Document::jsonb where id = @Id",
            Columns(run), transaction, cancellationToken: cancellationToken));

    /// <summary>A run's columns and document, as every write of it (and the move to PostgreSQL) stores them.</summary>
    internal static object Columns(CorrectionRun run) => new { run.Id, run.Country, Status = run.Status.ToString(), Document = PostgreSqlJson.Write(run) };

    public async Task<bool> TryReviewAsync(int id, bool accept, string reviewedBy, DateTime atUtc, string? note, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var document = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select document::text from correction_runs where id = @id and status = 'Proposed' for update", new { id }, transaction, cancellationToken: cancellationToken));
        if (document is null) return false;
        var run = PostgreSqlJson.Read<CorrectionRun>(document) with { Id = id };
        await SaveAsync(connection, transaction, run with
        {
            Status = accept ? CorrectionStatus.Approved : CorrectionStatus.Rejected,
            ReviewedBy = reviewedBy,
            ReviewedAtUtc = atUtc,
            ReviewNote = note,
            FinishedAtUtc = accept ? null : atUtc,
        }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<CorrectionRun>> ListAsync(CountryScope scope, int take, CancellationToken cancellationToken = default) =>
        RunsAsync(scope.IsAll ? "order by id desc limit @take" : "where country = any(@countries) order by id desc limit @take",
            new { take = Math.Clamp(take, 1, 1000), countries = scope.Countries?.ToArray() ?? [] }, cancellationToken);

    public Task<IReadOnlyList<CorrectionRun>> OrphanedAsync(CancellationToken cancellationToken = default) =>
        RunsAsync($"where status in ('Approved', 'Comparing', 'Correcting') and {PostgreSqlRunClaim.Unclaimed("correction_runs")} order by id", new { LockClass },
            cancellationToken);

    private async Task<IReadOnlyList<CorrectionRun>> RunsAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Id, string Document)>(new CommandDefinition($"select id, document::text from correction_runs {where}",
            parameters, cancellationToken: cancellationToken));
        return rows.Select(r => PostgreSqlJson.Read<CorrectionRun>(r.Document) with { Id = r.Id }).ToList();
    }

    private const int LockClass = 0x436F_7231; // "Cor1"

    public Task<IAsyncDisposable?> TryClaimAsync(int id, CancellationToken cancellationToken = default) =>
        PostgreSqlRunClaim.TryAsync(dataSource, LockClass, id, cancellationToken);

    public async Task<bool> TryAddStatementAsync(RegularisationStatement statement, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition($"{InsertStatement} on conflict (run_id, member_id, year) do nothing", Columns(statement),
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>A statement's row, as the store (and the move to PostgreSQL) insert it.</summary>
    internal const string InsertStatement =
        "insert into regularisation_statements (run_id, member_id, year, document) values (@RunId, @MemberId, @Year, @Document::jsonb)";

    internal static object Columns(RegularisationStatement statement) => new { statement.RunId, statement.MemberId, statement.Year, Document = PostgreSqlJson.Write(statement) };

    public async Task<RegularisationStatement?> StatementAsync(int runId, int memberId, int year, CancellationToken cancellationToken = default) =>
        (await StatementsAsync("where run_id = @runId and member_id = @memberId and year = @year", new { runId, memberId, year }, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<RegularisationStatement>> StatementsAsync(int runId, CancellationToken cancellationToken = default) =>
        [.. (await StatementsAsync("where run_id = @runId", new { runId }, cancellationToken))
            .OrderBy(s => s.Year).ThenBy(s => s.Member, StringComparer.Ordinal).ThenBy(s => s.MemberId)];

    public Task<IReadOnlyList<RegularisationStatement>> StatementsOfAsync(int memberId, int year, CancellationToken cancellationToken = default) =>
        StatementsAsync("where member_id = @memberId and year = @year order by run_id desc", new { memberId, year }, cancellationToken);

    private async Task<IReadOnlyList<RegularisationStatement>> StatementsAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition($"select document::text from regularisation_statements {where}", parameters,
            cancellationToken: cancellationToken));
        return rows.Select(PostgreSqlJson.Read<RegularisationStatement>).ToList();
    }

    public async Task<CorrectiveDocuments?> CorrectionAsync(int runId, int invoiceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var document = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select document::text from corrective_documents where run_id = @runId and invoice_id = @invoiceId", new { runId, invoiceId }, cancellationToken: cancellationToken));
        return document is null ? null : PostgreSqlJson.Read<CorrectiveDocuments>(document);
    }

    public async Task SaveCorrectionAsync(CorrectiveDocuments correction, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"{InsertCorrection} on conflict (run_id, invoice_id) do update set document = excluded.document",
            Columns(correction), cancellationToken: cancellationToken));
    }

    /// <summary>A corrective pair's row, as the store (and the move to PostgreSQL) insert it.</summary>
    internal const string InsertCorrection = "insert into corrective_documents (run_id, invoice_id, document) values (@RunId, @InvoiceId, @Document::jsonb)";

    internal static object Columns(CorrectiveDocuments correction) => new { correction.RunId, correction.InvoiceId, Document = PostgreSqlJson.Write(correction) };

    public async Task<IReadOnlyList<CorrectiveDocuments>> CorrectionsAsync(int runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "select document::text from corrective_documents where run_id = @runId order by invoice_id", new { runId }, cancellationToken: cancellationToken));
        return rows.Select(PostgreSqlJson.Read<CorrectiveDocuments>).ToList();
    }
}
