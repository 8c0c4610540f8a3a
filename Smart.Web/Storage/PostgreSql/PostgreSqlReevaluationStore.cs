using Dapper;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// The re-evaluation runs. The job's saves replace the progress but never the cancellation (its own column, kept by <c>coalesce</c>):
/// a cancel asked for on another instance is seen at the job's next check. A batch writes nothing twice after a restart because each
/// document's write checks the version the batch read.
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

    internal static object Columns(ReevaluationRun run) => new
    {
        run.Id, Country = run.Country?.ToUpperInvariant(), Status = run.Status.ToString(), run.CancelledBy, Document = PostgreSqlJson.Write(run),
    };

    private async Task<IReadOnlyList<ReevaluationRun>> ReadAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Id, string? CancelledBy, string Document)>(new CommandDefinition($"{Select} {where}", parameters, cancellationToken: cancellationToken));
        return rows.Select(row => PostgreSqlJson.Read<ReevaluationRun>(row.Document) with { Id = row.Id, CancelledBy = row.CancelledBy }).ToList();
    }
}
