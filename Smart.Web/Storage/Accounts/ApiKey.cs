using System.Security.Cryptography;
using System.Text;

namespace Smart.Web.Storage.Accounts;

/// <summary>A partner system's key to the evaluation API. Only the key's hash is kept; <see cref="Countries"/> null means every country.</summary>
public sealed record ApiKey(Guid Id, string Name, string KeyHash, IReadOnlyList<string>? Countries, DateTime CreatedUtc, bool Revoked = false)
{
    public bool MayUseCountry(string country) =>
        Countries is null || Countries.Contains(country, StringComparer.OrdinalIgnoreCase);

    // Plain SHA-256 is enough: issued keys are long random strings, so there is no guessable set to try against a leaked hash.
    public static string HashOf(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A new random key (256 bits, URL-safe); shown to its owner once, stored only as <see cref="HashOf"/>.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
