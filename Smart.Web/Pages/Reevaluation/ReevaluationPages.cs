using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Reevaluation;

public static class ReevaluationPages
{
    /// <summary>The handlers of the re-evaluation pages; the job and its start command are registered with the jobs.</summary>
    public static IServiceCollection AddReevaluationPages(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<IndexModel.Start, int>, IndexModel.StartHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, ReevaluationRun>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Cancel, Unit>, DetailsModel.CancelHandler>();
        return services;
    }
}
