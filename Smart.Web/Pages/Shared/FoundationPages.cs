using MediatR;
using Smart.Web.Pages.Account;
using Smart.Web.Storage;
using AccountAdmin = Smart.Web.Pages.Admin.Accounts;

namespace Smart.Web.Pages.Shared;

public static class FoundationPages
{
    /// <summary>The handlers of the home page, sign-in and account administration (MediatR 5 here has no assembly scanning).</summary>
    public static IServiceCollection AddFoundationPages(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<IndexModel.ApprovalsWaiting, int>, IndexModel.ApprovalsHandler>();
        services.AddScoped<ConnectedDocumentReader>();
        services.AddScoped<IRequestHandler<SignInModel.Command, SignInModel.Result>, SignInModel.Handler>();
        services.AddScoped<IRequestHandler<SignOutModel.Command, bool>, SignOutModel.Handler>();
        services.AddScoped<IRequestHandler<AccountAdmin.IndexModel.Query, AccountAdmin.IndexModel.Result>, AccountAdmin.IndexModel.Handler>();
        services.AddScoped<IRequestHandler<AccountAdmin.CreateModel.Command, Storage.Account>, AccountAdmin.CreateModel.Handler>();
        services.AddScoped<IRequestHandler<AccountAdmin.EditModel.Query, AccountAdmin.EditModel.Command>, AccountAdmin.EditModel.QueryHandler>();
        services.AddScoped<IRequestHandler<AccountAdmin.EditModel.Command, UpdateStatus>, AccountAdmin.EditModel.CommandHandler>();
        return services;
    }
}
