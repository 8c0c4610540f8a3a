using Hangfire;
using MediatR;
using Smart.Web.Jobs;

namespace Smart.Web.Corrections;

/// <summary>The Hangfire side of a correction run: it sends the request; the handler does the work and keeps the progress.</summary>
public sealed class CorrectionJob(IMediator mediator, ICorrectionStore runs, TimeProvider clock, ILogger<CorrectionJob> logger)
{
    // No automatic retry: a failed run says why on its page; what it made stays made.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int runId, CancellationToken cancellationToken)
    {
        // Queued twice (an approval and a start-up resumption, or every instance's start-up): one execution holds it.
        await using var claim = await runs.TryClaimAsync(runId, cancellationToken);
        if (claim is null) return;
        try
        {
            await mediator.Send(new RunCorrection.Command(runId), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping: the run stays where it is, and start-up queues it again.
            throw;
        }
        catch (CorrectionStoppedException e)
        {
            logger.LogWarning("Correction run {Run}: {Reason}", runId, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Correction run {Run} failed", runId);
            if (await runs.GetAsync(runId, CancellationToken.None) is { } run)
                await runs.SaveAsync(run with
                {
                    Status = CorrectionStatus.Failed,
                    FinishedAtUtc = clock.GetUtcNow().UtcDateTime,
                    FailureReason = e.Message,
                    Problems = [.. run.Problems, e.Message],
                }, CancellationToken.None);
        }
    }
}

/// <summary>Queues runs; one place for the approval and the start-up resumption.</summary>
public sealed class CorrectionJobs(IBackgroundJobClient jobs)
{
    public void Enqueue(int runId) => jobs.Enqueue<CorrectionJob>(job => job.RunAsync(runId, CancellationToken.None));
}

/// <summary>
/// Queues again every accepted run not finished that no execution holds (<see cref="ICorrectionStore.OrphanedAsync"/>); it carries on from
/// what its store holds. Every <c>Smart:Corrections:OrphanScan</c>, as <see cref="OrphanedRunsScan"/> says.
/// </summary>
public sealed class CorrectionResumption(ICorrectionStore runs, CorrectionJobs jobs, IConfiguration configuration, ILogger<CorrectionResumption> logger)
    : OrphanedRunsScan(configuration, logger, "Corrections")
{
    protected override async Task<IEnumerable<int>> OrphanedAsync(CancellationToken cancellationToken) =>
        (await runs.OrphanedAsync(cancellationToken)).Select(r => r.Id);

    protected override void Enqueue(int runId) => jobs.Enqueue(runId);
}

public static class CorrectionServices
{
    /// <summary>The correction runs' job, its test hook and its resumption (at start-up, and of a stopped instance's runs).</summary>
    public static IServiceCollection AddCorrectionRuns(this IServiceCollection services)
    {
        services.AddSingleton<CorrectionJobs>();
        services.AddSingleton<CorrectionHooks>();
        services.AddScoped<CorrectionJob>();
        services.AddHostedService<CorrectionResumption>();
        return services;
    }
}
