namespace Smart.Web.Jobs;

/// <summary>
/// At start-up, and then every <c>Smart:{Section}:OrphanScan</c> (10 s by default): queues again every unfinished run that no execution
/// holds, i.e. left by an app that stopped or by an instance that was killed; its job carries on from what the run's store holds. In server
/// mode every instance scans, so the survivors take over a dead instance's run without a restart; a run queued twice is run once, as its
/// job first claims it.
/// </summary>
public abstract class OrphanedRunsScan(IConfiguration configuration, ILogger logger, string section) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task scanning = Task.CompletedTask;

    /// <summary>The runs unfinished and unclaimed now.</summary>
    protected abstract Task<IEnumerable<int>> OrphanedAsync(CancellationToken cancellationToken);

    protected abstract void Enqueue(int runId);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ScanAsync(cancellationToken);
        var interval = configuration.GetValue($"Smart:{section}:OrphanScan", TimeSpan.FromSeconds(10));
        scanning = ScanEveryAsync(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(10), stopping.Token);
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        foreach (var run in await OrphanedAsync(cancellationToken)) Enqueue(run);
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
                    logger.LogWarning(e, "Looking for {Section} runs left by a stopped instance failed; trying again in {Interval}", section, interval);
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
        // A host stopped twice, or stopped after its services were disposed (a test factory's disposal), stops the scan once.
        if (Interlocked.Exchange(ref stopped, 1) == 1) return;
        await stopping.CancelAsync();
        await scanning.WaitAsync(cancellationToken);
    }

    private int stopped;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 0) stopping.Cancel();
        stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
