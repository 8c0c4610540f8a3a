using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Smart.Web.Hosting;

namespace Smart.Web.Storage.Accounts;

public static class AccountServices
{
    public const string KeysDirectoryName = "keys";

    /// <summary>The password hasher, the demo accounts and the data-protection key ring in the data directory.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddHostedService<AccountDemoSeed>();

        // Sign-in cookies and anti-forgery tokens are protected with these keys: kept beside the store, they survive a restart. The server
        // mode registers its own repository (the database's, shared by every instance); the data directory's is the default.
        services.AddDataProtection().SetApplicationName("Smart.Intranet");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = sp.GetService<IXmlRepository>() ?? new FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(sp.GetRequiredService<SmartDirectories>().Data, KeysDirectoryName)),
                sp.GetRequiredService<ILoggerFactory>())));
        return services;
    }
}
