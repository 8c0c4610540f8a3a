using MediatR;
using Smart.Web.Jobs;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Simulations;

public static class SimulationPages
{
    /// <summary>The impact simulation: its job (queued the Hangfire way, resumed at start-up), its handler and its pages' handlers.</summary>
    public static IServiceCollection AddRuleSimulationPages(this IServiceCollection services)
    {
        services.AddSingleton<SimulationJobs>();
        services.AddScoped<SimulationJob>();
        services.AddHostedService<SimulationResumption>();
        services.AddScoped<IRequestHandler<SimulateImpact.Command, ImpactSimulation>, SimulateImpact.Handler>();
        services.AddScoped<IRequestHandler<StartModel.Query, StartModel.Result>, StartModel.Handler>();
        services.AddScoped<IRequestHandler<StartModel.Command, int>, StartModel.CommandHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Cancel, Unit>, DetailsModel.CancelHandler>();
        services.AddScoped<IRequestHandler<DocumentModel.Query, DocumentModel.Result>, DocumentModel.Handler>();
        return services;
    }
}
