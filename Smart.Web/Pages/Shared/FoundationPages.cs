using MediatR;
using Smart.Web.Pages.Account;
using Smart.Web.Storage;
using AccountAdmin = Smart.Web.Pages.Admin.Accounts;

namespace Smart.Web.Pages.Shared;

public static class FoundationPages
{
    /// <summary>What the home page, sign-in and account administration share beside their handlers (found by the scan).</summary>
    public static IServiceCollection AddFoundationPages(this IServiceCollection services)
    {
        services.AddScoped<ConnectedDocumentReader>();
        services.AddSingleton<HomeFigures>();
        return services;
    }
}
