using Smart.Web.Storage.Demo;

namespace Smart.Web.Storage;

public static class DirectoryStorage
{
    /// <summary>The member, production unit and client stores, the audit log they write, and the directory's demo data.</summary>
    public static IServiceCollection AddDirectoryStores(this IServiceCollection services)
    {
        services.AddSingleton<LiteDbAuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<LiteDbAuditLog>());
        services.AddSingleton<IMemberStore, LiteDbMemberStore>();
        services.AddSingleton<IProductionUnitStore, LiteDbProductionUnitStore>();
        services.AddSingleton<IClientStore, LiteDbClientStore>();
        services.AddSingleton<IInvoiceStore, LiteDbInvoiceStore>();
        services.AddHostedService<DirectoryDemoSeed>();
        return services;
    }
}
