using MediatR;

namespace Smart.Web.Pages.Find;

public static class FindPages
{
    /// <summary>The search page's and the pickers' handlers (MediatR 5 here has no assembly scanning).</summary>
    public static IServiceCollection AddFindPages(this IServiceCollection services)
    {
        services.AddScoped<Finder>();
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<IndexModel.Pick, IReadOnlyList<IndexModel.Choice>>, IndexModel.PickHandler>();
        return services;
    }
}
