using Smart.Web.Storage.Accounts;

namespace Smart.Web.Storage;

/// <summary>Fills an empty store with the demo records the README lists; a store that holds anything is left alone.</summary>
public sealed class DemoSeed(IApiKeyStore apiKeys, TimeProvider clock, ILogger<DemoSeed> logger) : IHostedService
{
    /// <summary>Public on purpose: it is printed in the README for trying the API.</summary>
    public const string DemoPartnerKey = "demo-partner-key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((await apiKeys.ListAsync(cancellationToken)).Count > 0) return;
        await apiKeys.AddAsync(new ApiKey(Guid.NewGuid(), "Demo partner portal", ApiKey.HashOf(DemoPartnerKey), Countries: null,
            clock.GetUtcNow().UtcDateTime), cancellationToken);
        logger.LogInformation("Seeded the demo API key for the demo partner portal");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
