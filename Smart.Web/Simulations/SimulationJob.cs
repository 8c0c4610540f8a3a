using Hangfire;
using MediatR;
using Smart.Web.Jobs;
using Smart.Web.Storage;

namespace Smart.Web.Simulations;

/// <summary>The Hangfire side of an impact simulation: it sends the request; the handler does the work and keeps the progress.</summary>
public sealed class SimulationJob(IMediator mediator, ISimulationStore simulations, TimeProvider clock, ILogger<SimulationJob> logger)
{
    // No automatic retry: a failed simulation says why on its page, and another is one click away.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int simulationId, CancellationToken cancellationToken)
    {
        try
        {
            await mediator.Send(new SimulateImpact.Command(simulationId), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping: the simulation stays running, and start-up queues it again from its cursors.
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Impact simulation {Simulation} failed", simulationId);
            if (await simulations.GetAsync(simulationId, CancellationToken.None) is { } simulation)
                await simulations.SaveAsync(simulation with
                {
                    Status = SimulationStatus.Failed,
                    FinishedAtUtc = clock.GetUtcNow().UtcDateTime,
                    FailureReason = e.Message,
                    Problems = [.. simulation.Problems, e.Message],
                }, CancellationToken.None);
        }
    }
}

/// <summary>Queues simulations; one place for the start page and the start-up resumption.</summary>
public sealed class SimulationJobs(IBackgroundJobClient jobs)
{
    public void Enqueue(int simulationId) => jobs.Enqueue<SimulationJob>(JobServices.SimulationQueue, job => job.RunAsync(simulationId, CancellationToken.None));
}

/// <summary>At start-up: queues again every simulation that was queued or running; it continues from its cursors.</summary>
public sealed class SimulationResumption(ISimulationStore simulations, SimulationJobs jobs) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var simulation in await simulations.UnfinishedAsync(cancellationToken)) jobs.Enqueue(simulation.Id);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
