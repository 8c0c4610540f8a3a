using Hangfire;
using MediatR;
using Smart.Web.Jobs;
using Smart.Web.Storage;

namespace Smart.Web.Reevaluation;

/// <summary>The Hangfire side of a bulk re-evaluation: it sends the request; the handler does the work and keeps the progress.</summary>
public sealed class ReevaluationJob(IMediator mediator, IReevaluationStore runs, TimeProvider clock, ILogger<ReevaluationJob> logger)
{
    // No automatic retry: a failed run says why on its page, and a new run is a person's (or a publication's) decision.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int runId, CancellationToken cancellationToken)
    {
        try
        {
            await mediator.Send(new ReevaluateDocuments.Command(runId), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping: the run stays running, and start-up queues it again from its cursor.
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Re-evaluation run {Run} failed", runId);
            if (await runs.GetAsync(runId, CancellationToken.None) is { } run)
                await runs.SaveAsync(run with
                {
                    Status = ReevaluationStatus.Failed,
                    FinishedAtUtc = clock.GetUtcNow().UtcDateTime,
                    FailureReason = e.Message,
                    Problems = [.. run.Problems, e.Message],
                }, CancellationToken.None);
        }
    }
}

/// <summary>Queues runs; a class of its own so the start command and the start-up resumption queue them the same way.</summary>
public sealed class ReevaluationJobs(IBackgroundJobClient jobs)
{
    public void Enqueue(int runId) => jobs.Enqueue<ReevaluationJob>(job => job.RunAsync(runId, CancellationToken.None));
}

/// <summary>
/// Queues again every running re-evaluation run no execution holds (<see cref="IReevaluationStore.OrphanedAsync"/>); it continues from its
/// cursors. Every <c>Smart:Reevaluation:OrphanScan</c>, as <see cref="OrphanedRunsScan"/> says.
/// </summary>
public sealed class ReevaluationResumption(IReevaluationStore runs, ReevaluationJobs jobs, IConfiguration configuration, ILogger<ReevaluationResumption> logger)
    : OrphanedRunsScan(configuration, logger, "Reevaluation")
{
    protected override async Task<IEnumerable<int>> OrphanedAsync(CancellationToken cancellationToken) =>
        (await runs.OrphanedAsync(cancellationToken)).Select(r => r.Id);

    protected override void Enqueue(int runId) => jobs.Enqueue(runId);
}

public static class ReevaluationServices
{
    /// <summary>The start command, the job and its resumption at start-up.</summary>
    public static IServiceCollection AddReevaluationJob(this IServiceCollection services)
    {
        services.AddSingleton<ReevaluationJobs>();
        services.AddScoped<ReevaluationJob>();
        services.AddHostedService<ReevaluationResumption>();
        return services;
    }
}
