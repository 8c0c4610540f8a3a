using LiteDB;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Smart.Web.Hosting;

namespace Smart.Web.Storage;

public static class StorageServices
{
    public const string DatabaseFileName = "smart.db";

    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Direct mode: the app holds the file open with its page cache, and reads run side by side. Shared mode reopened the file and took
        // a machine-wide mutex for every operation, which serialised all requests (a year of volume: ~30 pages/s); one process owns the
        // store, as the README says (give each instance its own data directory).
        services.AddSingleton(sp => new DataDirectoryLock(sp.GetRequiredService<SmartDirectories>().Data));
        services.AddSingleton(sp =>
        {
            _ = sp.GetRequiredService<DataDirectoryLock>();
            return new LiteDatabase(new ConnectionString
            {
                Filename = Path.Combine(sp.GetRequiredService<SmartDirectories>().Data, DatabaseFileName),
                Connection = ConnectionType.Direct,
            });
        });
        services.AddSingleton<IApiKeyStore, LiteDbApiKeyStore>();
        services.AddHostedService<DemoSeed>();
        return services;
    }
}
