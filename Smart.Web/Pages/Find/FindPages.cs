using MediatR;

namespace Smart.Web.Pages.Find;

public static class FindPages
{
    /// <summary>The finder the search page and the pickers share (their handlers are found by the scan).</summary>
    public static IServiceCollection AddFindPages(this IServiceCollection services)
    {
        services.AddScoped<Finder>();
        return services;
    }
}
