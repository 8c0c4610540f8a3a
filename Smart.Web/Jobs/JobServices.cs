using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MediatR;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Reminders;
using Smart.Web.Storage;

namespace Smart.Web.Jobs;

public static class JobServices
{
    public const string DashboardPath = "/hangfire";

    /// <summary>The queue of impact simulations, served by workers of their own: a stuck simulation never holds up re-evaluations or reminders.</summary>
    public const string SimulationQueue = "simulations";

    /// <summary>
    /// Hangfire on in-memory storage, the embedded default for one instance: the queue is lost on restart, which is why a run's
    /// intent is kept in the store. The server mode puts it on Hangfire.PostgreSql instead, with no change to the jobs.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        // The app's own storage, not UseInMemoryStorage()'s global JobStorage.Current: two apps in one process (the tests) must not share a queue.
        // The server mode registered Hangfire.PostgreSql's already (PostgreSqlStorage), shared by every instance on the database.
        services.TryAddSingleton<JobStorage>(_ => new InMemoryStorage());
        services.AddSingleton<Hangfire.Logging.ILogProvider>(provider => new ProcessSafeLogProvider(provider.GetRequiredService<ILoggerFactory>()));
        services.AddHangfire((provider, configuration) => configuration
            .UseLogProvider(provider.GetRequiredService<Hangfire.Logging.ILogProvider>())
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        // Two cores: two workers are enough for a daily job and leave the web requests their threads. The activator is this app's:
        // left to Hangfire, jobs are built by the process-wide JobActivator.Current, i.e. by whichever app configured Hangfire last,
        // so with two apps in one process (the tests) a job of one ran against the other's services and store.
        services.AddHangfireServer((provider, options) =>
        {
            options.WorkerCount = 2;
            options.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
        });
        // A draft's simulation runs rules nobody has published yet: one worker of its own, so however long it takes, the default queue's
        // two workers stay free for re-evaluations after publications and the daily reminders.
        services.AddHangfireServer((provider, options) =>
        {
            options.ServerName = $"{Environment.MachineName}:{SimulationQueue}";
            options.Queues = [SimulationQueue];
            options.WorkerCount = 1;
            options.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
        });
        services.AddSingleton(provider => JobBudgets.From(provider.GetRequiredService<IConfiguration>()));
        services.AddScoped<PaymentReminderJob>();
        services.AddHostedService<PaymentReminderSchedule>();
        services.AddReevaluationJob();
        services.AddEInvoiceOutbox();
        return services;
    }

    public static IEndpointConventionBuilder MapJobDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new AdministratorDashboardFilter()],
            AppPath = "/",
        });
}
