using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Simulations;

/// <summary>
/// Impact simulations and the documents each found affected. A batch's documents and the progress that says they are done commit in one
/// transaction, and each document is keyed by simulation, kind and id: a batch replayed after a restart adds nothing twice.
/// </summary>
public sealed class PostgreSqlSimulationStore(NpgsqlDataSource dataSource) : ISimulationStore
{
    private const string Select = "select id, cancelled_by, document::text as document from simulations";

    public async Task<ImpactSimulation> AddAsync(ImpactSimulation simulation, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "insert into simulations (version_id, status, cancelled_by, document) values (@VersionId, @Status, @CancelledBy, @Document::jsonb) returning id",
            Columns(simulation), cancellationToken: cancellationToken));
        return simulation with { Id = id };
    }

    public async Task<ImpactSimulation?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        (await ReadAsync("where id = @id", new { id }, cancellationToken)).SingleOrDefault();

    public async Task SaveAsync(ImpactSimulation simulation, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await SaveAsync(connection, null, simulation, cancellationToken);
    }

    public async Task SaveBatchAsync(ImpactSimulation simulation, IReadOnlyList<SimulatedDocument> affected, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var document in affected)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into simulation_documents (simulation_id, kind, document_id, document) values (@SimulationId, @Kind, @DocumentId, @Document::jsonb)
                on conflict (simulation_id, kind, document_id) do nothing
                """,
                new { document.SimulationId, document.Kind, document.DocumentId, Document = PostgreSqlJson.Write(document) }, transaction, cancellationToken: cancellationToken));
        await SaveAsync(connection, transaction, simulation, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // The job saves the whole record it holds, which never has the cancellation asked for meanwhile: the stored one is kept.
    private static Task SaveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ImpactSimulation simulation, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update simulations set version_id = @VersionId, status = @Status, cancelled_by = coalesce(cancelled_by, @CancelledBy), document = @Document::jsonb where id = @Id",
            Columns(simulation), transaction, cancellationToken: cancellationToken));

    public async Task<SearchResult<SimulatedDocument>> AffectedAsync(int simulationId, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // In the order the batches wrote them (invoices, then contracts, each by id).
        var documents = await connection.QueryAsync<string>(new CommandDefinition(
            "select document::text from simulation_documents where simulation_id = @simulationId order by position offset @skip limit @take",
            new { simulationId, skip = Math.Max(0, skip), take = Math.Clamp(take, 1, 1000) }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from simulation_documents where simulation_id = @simulationId",
            new { simulationId }, cancellationToken: cancellationToken));
        return new SearchResult<SimulatedDocument>(documents.Select(PostgreSqlJson.Read<SimulatedDocument>).ToList(), total);
    }

    public async Task<SimulatedDocument?> AffectedAsync(int simulationId, string kind, int documentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var document = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select document::text from simulation_documents where simulation_id = @simulationId and kind = @kind and document_id = @documentId",
            new { simulationId, kind, documentId }, cancellationToken: cancellationToken));
        return document is null ? null : PostgreSqlJson.Read<SimulatedDocument>(document);
    }

    public Task<IReadOnlyList<ImpactSimulation>> OfVersionAsync(int versionId, CancellationToken cancellationToken = default) =>
        ReadAsync("where version_id = @versionId order by id desc", new { versionId }, cancellationToken);

    public async Task RequestCancelAsync(int id, string cancelledBy, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update simulations set cancelled_by = @cancelledBy where id = @id and cancelled_by is null",
            new { id, cancelledBy }, cancellationToken: cancellationToken));
    }

    public Task<IReadOnlyList<ImpactSimulation>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("where status in ('Queued', 'Running') order by id", null, cancellationToken);

    internal static object Columns(ImpactSimulation simulation) => new
    {
        simulation.Id, simulation.VersionId, Status = simulation.Status.ToString(), simulation.CancelledBy, Document = PostgreSqlJson.Write(simulation),
    };

    private async Task<IReadOnlyList<ImpactSimulation>> ReadAsync(string where, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Id, string? CancelledBy, string Document)>(new CommandDefinition($"{Select} {where}", parameters, cancellationToken: cancellationToken));
        return rows.Select(row => PostgreSqlJson.Read<ImpactSimulation>(row.Document) with { Id = row.Id, CancelledBy = row.CancelledBy }).ToList();
    }
}
