using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Reevaluation;

/// <summary>
/// The re-evaluation runs. The job's saves replace the progress but never the cancellation (its own column, kept by <c>coalesce</c>):
/// a cancel asked for on another instance is seen at the job's next check. One execution of a run at a time, across instances: it holds a
/// session-level advisory lock on the run's id on a connection of its own, which PostgreSQL releases when that connection ends, so when the
/// process holding it is killed the run is free again as soon as the server sees its connection close. A batch's documents and the run's
/// progress commit in one transaction that first locks the run's row and checks its cursors (<see cref="RunAdvance"/>): a batch is written
/// once, and the counters count it once.
/// </summary>
public sealed class PostgreSqlReevaluationStore(NpgsqlDataSource dataSource) : IReevaluationStore
{
    private const string Select = "select id, cancelled_by, document::text as document from reevaluation_runs";

    public async Task<ReevaluationRun> AddAsync(ReevaluationRun run, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "insert into reevaluation_runs (country, status, cancelled_by, document) values (@Country, @Status, @CancelledBy, @Document::jsonb) returning id",
            Columns(run), cancellationToken: cancellationToken));
        return run with { Id = id };
    }

    public async Task<ReevaluationRun?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        (await ReadAsync("where id = @id", new { id }, cancellationToken)).SingleOrDefault();

    public async Task SaveAsync(ReevaluationRun run, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update reevaluation_runs set country = @Country, status = @Status, cancelled_by = coalesce(cancelled_by, @CancelledBy), document = @Document::jsonb where id = @Id",
            Columns(run), cancellationToken: cancellationToken));
    }

    public async Task<SearchResult<ReevaluationRun>> SearchAsync(CountryScope scope, int skip, int take, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return SearchResult<ReevaluationRun>.Empty;
        // A run over every country (null) touches documents the scope may not see: only unrestricted users see it.
        const string where = "where (@scope::text[] is null or country = any(@scope))";
        var parameters = new { scope = scope.Countries?.ToArray(), skip = Math.Max(0, skip), take = Math.Clamp(take, 1, 1000) };
        var rows = await ReadAsync($"{where} order by id desc offset @skip limit @take", parameters, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select count(*) from reevaluation_runs {where}", parameters, cancellationToken: cancellationToken));
        return new SearchResult<ReevaluationRun>(rows, total);
    }

    public async Task RequestCancelAsync(int id, string cancelledBy, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update reevaluation_runs set cancelled_by = @cancelledBy where id = @id and cancelled_by is null",
            new { id, cancelledBy }, cancellationToken: cancellationToken));
    }

    public Task<IReadOnlyList<ReevaluationRun>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("where status = 'Running' order by id", null, cancellationToken);

    /// <summary>The first key of the runs' advisory locks (the second is the run's id), as <c>pg_locks.classid</c> shows it.</summary>
    private const int LockClass = 0x5265_7631; // "Rev1"

    public Task<IAsyncDisposable?> TryClaimAsync(int id, CancellationToken cancellationToken = default) =>
        PostgreSqlRunClaim.TryAsync(dataSource, LockClass, id, cancellationToken);

    public Task<IReadOnlyList<ReevaluationRun>> OrphanedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync($"where status = 'Running' and {PostgreSqlRunClaim.Unclaimed("reevaluation_runs")} order by id", new { LockClass }, cancellationToken);

    public async Task<bool> TryAdvanceAsync(RunAdvance advance, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await AdvanceAsync(connection, transaction, advance, [], cancellationToken)) return false;
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// In the caller's transaction: locks the run's row, and if it is still where <paramref name="advance"/> started from, writes the run as it
    /// stands after the batch. False (nothing written) when another execution moved it on: the caller rolls back.
    /// </summary>
    internal static async Task<bool> AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RunAdvance advance, IReadOnlyList<bool> written,
        CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select document::text from reevaluation_runs where id = @RunId for update", new { advance.RunId }, transaction, cancellationToken: cancellationToken));
        if (!advance.StartsFrom(stored is null ? null : PostgreSqlJson.Read<ReevaluationRun>(stored))) return false;
        var run = advance.After(written) with { Id = advance.RunId };
        await connection.ExecuteAsync(new CommandDefinition(
            "update reevaluation_runs set status = @Status, cancelled_by = coalesce(cancelled_by, @CancelledBy), document = @Document::jsonb where id = @Id",
            Columns(run), transaction, cancellationToken: cancellationToken));
        return true;
    }

    internal static object Columns(ReevaluationRun run) => new
    {
        run.Id, Country = CountryCode.NormaliseOrNull(run.Country), Status = run.Status.ToString(), run.CancelledBy, Document = PostgreSqlJson.Write(run),
    };

    private async Task<IReadOnlyList<ReevaluationRun>> ReadAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Id, string? CancelledBy, string Document)>(new CommandDefinition($"{Select} {where}", parameters, cancellationToken: cancellationToken));
        return rows.Select(row => PostgreSqlJson.Read<ReevaluationRun>(row.Document) with { Id = row.Id, CancelledBy = row.CancelledBy }).ToList();
    }
}
