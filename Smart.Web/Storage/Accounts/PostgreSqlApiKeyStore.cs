using System.Collections.Concurrent;
using Dapper;
using Npgsql;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Accounts;

/// <summary>
/// The API keys in <c>api_keys</c>. Every API call looks its key up, so found keys are kept in memory, as the LiteDB store does; but a key
/// revoked on one instance must stop working on every instance at once. So a change notifies <see cref="InstanceNotifications.ApiKeysChanged"/>
/// in its transaction, every instance forgets what it kept when it hears it, and nothing is kept while this instance is not listening.
/// </summary>
public sealed class PostgreSqlApiKeyStore(NpgsqlDataSource dataSource) : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, ApiKey> byHash = new(StringComparer.Ordinal);
    private volatile bool listening;
    // Bumped by every forget: a lookup that read the database before a change was heard does not keep its (now old) answer.
    private long generation;

    public async Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        if (listening && byHash.TryGetValue(keyHash, out var known)) return known;
        var readAt = Interlocked.Read(ref generation);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var document = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "select document::text from api_keys where key_hash = @keyHash", new { keyHash }, cancellationToken: cancellationToken));
        var found = document is null ? null : PostgreSqlJson.Read<ApiKey>(document);
        // Unknown hashes are not kept: anyone could fill the memory with them.
        if (found is not null && listening)
        {
            byHash[keyHash] = found;
            if (Interlocked.Read(ref generation) != readAt) byHash.TryRemove(keyHash, out _);
        }
        return found;
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
        await ChangeAsync(
            "insert into api_keys (id, key_hash, created_utc, document) values (@Id, @KeyHash, @CreatedUtc, @Document::jsonb)",
            new { stored.Id, stored.KeyHash, stored.CreatedUtc, Document = PostgreSqlJson.Write(stored) }, cancellationToken);
    }

    public Task RevokeAsync(Guid id, CancellationToken cancellationToken = default) =>
        ChangeAsync("update api_keys set document = jsonb_set(document, '{Revoked}', 'true') where id = @id", new { id }, cancellationToken);

    /// <summary>Whether this instance answers the key from memory now (what the two-instance tests wait for).</summary>
    public bool Keeps(string keyHash) => listening && byHash.ContainsKey(keyHash);

    /// <summary>Forgets every key kept: another instance changed one (or this one did).</summary>
    internal void Forget()
    {
        Interlocked.Increment(ref generation);
        byHash.Clear();
    }

    /// <summary>Keys are kept only while this instance hears the others' changes.</summary>
    internal void Listening(bool now)
    {
        if (!now) listening = false;
        Forget();
        if (now) listening = true;
    }

    private async Task ChangeAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("select pg_notify(@channel, '')", new { channel = InstanceNotifications.ApiKeysChanged },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        // This instance's own next call must not wait for the notification to come back.
        Forget();
    }
}
