using LiteDB;

namespace Smart.Web.Storage.Accounts;

public sealed class LiteDbApiKeyStore : IApiKeyStore
{
    private readonly ILiteCollection<ApiKeyDocument> keys;
    // Every API request looks its key up: the answers are kept (a handful of keys) until this store adds or revokes one.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiKey?> byHash = new(StringComparer.Ordinal);

    public LiteDbApiKeyStore(LiteDatabase database)
    {
        keys = database.GetCollection<ApiKeyDocument>("apiKeys");
        keys.EnsureIndex(k => k.KeyHash, unique: true);
    }

    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        if (byHash.TryGetValue(keyHash, out var known)) return Task.FromResult(known);
        var found = keys.FindOne(k => k.KeyHash == keyHash)?.ToApiKey();
        // Unknown hashes are not kept: anyone could fill the cache with them.
        if (found is not null) byHash[keyHash] = found;
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKey>>(keys.FindAll().OrderBy(k => k.CreatedUtc).Select(k => k.ToApiKey()).ToList());

    public Task AddAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        keys.Insert(ApiKeyDocument.From(key));
        byHash.Clear();
        return Task.CompletedTask;
    }

    public Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (keys.FindById(id) is { } key)
        {
            key.Revoked = true;
            keys.Update(key);
        }
        byHash.Clear();
        return Task.CompletedTask;
    }

    /// <summary>The stored shape, kept apart from <see cref="ApiKey"/> so the public record can change without migrating the file.</summary>
    /// <summary>Every key as stored (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<ApiKey> All() => keys.FindAll().Select(k => k.ToApiKey());

    private sealed class ApiKeyDocument
    {
        [BsonId] public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string KeyHash { get; set; } = "";
        public List<string>? Countries { get; set; }
        public DateTime CreatedUtc { get; set; }
        public bool Revoked { get; set; }

        public static ApiKeyDocument From(ApiKey key) => new()
        {
            Id = key.Id, Name = key.Name, KeyHash = key.KeyHash, Countries = key.Countries?.ToList(),
            CreatedUtc = key.CreatedUtc, Revoked = key.Revoked,
        };

        public ApiKey ToApiKey() => new(Id, Name, KeyHash, Countries, DateTime.SpecifyKind(CreatedUtc, DateTimeKind.Utc), Revoked);
    }
}
