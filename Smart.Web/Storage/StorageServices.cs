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
        // Shared mode opens the file per operation, so tools and a second app instance on the same machine can read it too. (Direct mode
        // would run reads side by side, but under the full test suite LiteDB 5 then returned wrong counts and corrupted stores reopened
        // at once: see README, "Volume and load".) The stores keep what lists need in memory, so few requests wait on the file.
        services.AddSingleton(sp => new LiteDatabase(new ConnectionString
        {
            Filename = Path.Combine(sp.GetRequiredService<SmartDirectories>().Data, DatabaseFileName),
            Connection = ConnectionType.Shared,
        }));
        services.AddSingleton<IApiKeyStore, LiteDbApiKeyStore>();
        services.AddHostedService<DemoSeed>();
        return services;
    }
}
