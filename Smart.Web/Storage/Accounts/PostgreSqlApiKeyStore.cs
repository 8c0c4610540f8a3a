using Dapper;
using Npgsql;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Accounts;

/// <summary>
/// The API keys in <c>api_keys</c>. Unlike the LiteDB store, no answer is kept in memory: a key revoked on one instance must stop
/// working on every instance at once, and the lookup is one read of a unique index.
/// </summary>
public sealed class PostgreSqlApiKeyStore(NpgsqlDataSource dataSource) : IApiKeyStore
{
    public async Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var document = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "select document::text from api_keys where key_hash = @keyHash", new { keyHash }, cancellationToken: cancellationToken));
        return document is null ? null : PostgreSqlJson.Read<ApiKey>(document);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var documents = await connection.QueryAsync<string>(new CommandDefinition(
            "select document::text from api_keys order by created_utc, id", cancellationToken: cancellationToken));
        return documents.Select(PostgreSqlJson.Read<ApiKey>).ToList();
    }

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        var stored = key with { CreatedUtc = DateTime.SpecifyKind(key.CreatedUtc, DateTimeKind.Utc) };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into api_keys (id, key_hash, created_utc, document) values (@Id, @KeyHash, @CreatedUtc, @Document::jsonb)",
            new { stored.Id, stored.KeyHash, stored.CreatedUtc, Document = PostgreSqlJson.Write(stored) }, cancellationToken: cancellationToken));
    }

    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update api_keys set document = jsonb_set(document, '{Revoked}', 'true') where id = @id", new { id }, cancellationToken: cancellationToken));
    }
}
