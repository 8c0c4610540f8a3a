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
        // Direct mode, one owner per data directory (LiteDbFile): reads side by side, writes serialised by LiteDB, a second instance
        // refused. The container disposes the database first (created last), then the owner, which releases the file.
        services.AddSingleton(sp => new LiteDbFile(sp.GetRequiredService<SmartDirectories>().Data));
        services.AddSingleton(sp => sp.GetRequiredService<LiteDbFile>().Database);
        services.AddSingleton<IApiKeyStore, LiteDbApiKeyStore>();
        services.AddHostedService<DemoSeed>();
        return services;
    }
}
