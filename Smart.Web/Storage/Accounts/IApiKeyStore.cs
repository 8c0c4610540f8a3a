namespace Smart.Web.Storage.Accounts;

/// <summary>The partner API keys. Callers hash a presented key with <see cref="ApiKey.HashOf"/>: no store ever sees a key in clear.</summary>
public interface IApiKeyStore
{
    Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default);
    Task AddAsync(ApiKey key, CancellationToken cancellationToken = default);
    Task RevokeAsync(Guid id, CancellationToken cancellationToken = default);
}
