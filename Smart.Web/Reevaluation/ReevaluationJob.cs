using Hangfire;
using MediatR;
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
/// At start-up, and then every <c>Smart:Reevaluation:OrphanScan</c> (10 s by default): queues again every run still running that no execution
/// holds (<see cref="IReevaluationStore.OrphanedAsync"/>), i.e. left by an app that stopped or by an instance that was killed; it continues
/// from its cursors. In server mode every instance scans, so the survivors take over a dead instance's run without a restart; a run queued
/// twice is run once, as its job first claims it.
/// </summary>
public sealed class ReevaluationResumption(IReevaluationStore runs, ReevaluationJobs jobs, IConfiguration configuration, ILogger<ReevaluationResumption> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task scanning = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ScanAsync(cancellationToken);
        var interval = configuration.GetValue("Smart:Reevaluation:OrphanScan", TimeSpan.FromSeconds(10));
        scanning = ScanEveryAsync(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(10), stopping.Token);
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        foreach (var run in await runs.OrphanedAsync(cancellationToken)) jobs.Enqueue(run.Id);
    }

    private async Task ScanEveryAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await ScanAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Looking for re-evaluation runs left by a stopped instance failed; trying again in {Interval}", interval);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await scanning.WaitAsync(cancellationToken);
    }

    public void Dispose() => stopping.Dispose();
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
