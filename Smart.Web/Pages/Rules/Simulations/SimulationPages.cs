using MediatR;
using Smart.Web.Jobs;
using Smart.Web.Simulations;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Rules.Simulations;

public static class SimulationPages
{
    /// <summary>The impact simulation: its job (queued the Hangfire way, resumed at start-up), its handler and its pages' handlers.</summary>
    public static IServiceCollection AddRuleSimulationPages(this IServiceCollection services)
    {
        services.AddSingleton<SimulationJobs>();
        services.AddScoped<SimulationJob>();
        services.AddTransient<SinceIssue.IssuedEvaluations>();
        services.AddHostedService<SimulationResumption>();
        return services;
    }
}
