using Dapper;
using Npgsql;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Audit;

/// <summary>The audit log in the <c>audit</c> table. The stores write their entries with <see cref="WriteAsync(NpgsqlConnection, NpgsqlTransaction, AuditEntry, CancellationToken)"/>, in the transaction of the change.</summary>
public sealed class PostgreSqlAuditLog(NpgsqlDataSource dataSource) : IAuditLog
{
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await WriteAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>For the stores: the entry commits or rolls back with the change it records.</summary>
    internal static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry entry, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into audit (at_utc, actor, entity_type, entity_id, country, action, changes)
            values (@AtUtc, @Actor, @EntityType, @EntityId, @Country, @Action, @Changes::jsonb)
            """,
            new
            {
                AtUtc = DateTime.SpecifyKind(entry.AtUtc, DateTimeKind.Utc), entry.Actor, entry.EntityType, entry.EntityId,
                Country = CountryCode.Normalise(entry.Country), Action = entry.Action.ToString(), Changes = PostgreSqlJson.Write(entry.Changes),
            },
            transaction, cancellationToken: cancellationToken));

    /// <summary>For a store's insert of many records (imports, demo data): one COPY inside the connection's open transaction.</summary>
    internal static async Task WriteManyAsync(NpgsqlConnection connection, IEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "copy audit (at_utc, actor, entity_type, entity_id, country, action, changes) from stdin (format binary)", cancellationToken);
        foreach (var entry in entries)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(DateTime.SpecifyKind(entry.AtUtc, DateTimeKind.Utc), NpgsqlTypes.NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(entry.Actor, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(entry.EntityType, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(entry.EntityId, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(CountryCode.Normalise(entry.Country), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(entry.Action.ToString(), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(PostgreSqlJson.Write(entry.Changes), NpgsqlTypes.NpgsqlDbType.Jsonb, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ForEntityAsync(string entityType, string entityId, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} where entity_type = @entityType and entity_id = @entityId order by id desc limit @take",
            new { entityType, entityId, take }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEntry()).ToList();
    }

    public async Task<SearchResult<AuditEntry>> ForCountryAsync(string country, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        country = CountryCode.Normalise(country);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} where country = @country order by id desc offset @skip limit @take", new { country, skip, take }, cancellationToken: cancellationToken));
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*) from audit where country = @country", new { country }, cancellationToken: cancellationToken));
        return new SearchResult<AuditEntry>(rows.Select(row => row.ToEntry()).ToList(), total);
    }

    private const string Select = "select id, at_utc as AtUtc, actor, entity_type as EntityType, entity_id as EntityId, country, action, changes::text as Changes from audit";

    private sealed record Row(long Id, DateTime AtUtc, string Actor, string EntityType, string EntityId, string Country, string Action, string Changes)
    {
        public AuditEntry ToEntry() => new(Id, DateTime.SpecifyKind(AtUtc, DateTimeKind.Utc), Actor, EntityType, EntityId, Country,
            Enum.Parse<AuditAction>(Action), PostgreSqlJson.Read<List<AuditChange>>(Changes));
    }
}
