using System.Diagnostics;
using System.Globalization;

namespace Smart.Web.Jobs;

/// <summary>
/// The limits of a background run (<c>Smart:Jobs</c>): how long one execution of a simulation or a re-evaluation may take, and how long the
/// evaluation of one document may take before that document counts as failed.
/// </summary>
public sealed record JobBudgets(TimeSpan Simulation, TimeSpan Reevaluation, TimeSpan Document)
{
    public static JobBudgets From(IConfiguration configuration) => new(
        configuration.GetValue("Smart:Jobs:SimulationBudget", TimeSpan.FromMinutes(30)),
        configuration.GetValue("Smart:Jobs:ReevaluationBudget", TimeSpan.FromHours(2)),
        configuration.GetValue("Smart:Jobs:DocumentBudget", TimeSpan.FromSeconds(2)));
}

/// <summary>
/// Watches one execution of a run: its token is cancelled when the run exceeds its budget, when someone asks to cancel it (the flag stored
/// with the run, read every <see cref="PollInterval"/>) or when the app stops. Each document is evaluated through it, so a document that
/// throws or runs over its budget is counted as failed for the run instead of ending it.
/// </summary>
public sealed class RunWatchdog : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource source;
    private readonly TimeSpan runBudget;
    private readonly TimeSpan documentBudget;
    private readonly Task polling;

    /// <param name="cancelledBy">Reads who asked to cancel the run (null: nobody), from the store.</param>
    /// <param name="stopping">The app's stopping token: the run then stays unfinished and start-up resumes it.</param>
    public RunWatchdog(TimeSpan runBudget, TimeSpan documentBudget, Func<CancellationToken, Task<string?>> cancelledBy, CancellationToken stopping)
    {
        this.runBudget = runBudget;
        this.documentBudget = documentBudget;
        source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        polling = WatchAsync(cancelledBy);
    }

    public CancellationToken Token => source.Token;

    /// <summary>Who cancelled the run, once the watchdog has stopped it for them.</summary>
    public string? CancelledBy { get; private set; }

    /// <summary>Why the watchdog failed the run (its budget), once it has stopped it for that.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>True when the watchdog, not the app stopping, ended the run: it must be marked Cancelled or Failed, never resumed.</summary>
    public bool HasStopped => CancelledBy is not null || FailureReason is not null;

    /// <summary>Documents that threw or ran over their budget in this execution, and the first one's reason.</summary>
    public int Faulted { get; private set; }
    public string? FirstFault { get; private set; }

    /// <summary>
    /// Runs a batch's evaluations off the job's worker and waits for them only while the run may go on: a document that never returns
    /// holds a pool thread until the engine's own budget ends it, not the worker, and cancelling or the run's budget still end the run.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> evaluations) => Task.Run(evaluations, Token).WaitAsync(Token);

    /// <summary>
    /// Evaluates one document. A rule that failed on it (it threw or exceeded the engine's budget per document, which the evaluator reports
    /// in its outcome), any exception, or an evaluation longer than the per-document budget makes it a faulted document: false, with the
    /// reason. Stops the batch when the run must end.
    /// </summary>
    /// <param name="document">The document as the run's problems name it, e.g. <c>invoice 12</c>.</param>
    /// <param name="ruleFailure">The rule failure the evaluation reported, if any (<c>Outcome.RuleFailure</c>).</param>
    public bool TryEvaluate<T>(string document, Func<T> evaluate, Func<T, string?> ruleFailure, out T value, out string fault)
    {
        Token.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        try
        {
            value = evaluate();
        }
        catch (Exception e) when (e is not OperationCanceledException || !Token.IsCancellationRequested)
        {
            value = default!;
            fault = Fault(document, $"the rules failed: {e.Message}");
            return false;
        }
        if (ruleFailure(value) is { } failed)
        {
            fault = Fault(document, $"the rules failed: {failed}");
            return false;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > documentBudget)
        {
            fault = Fault(document, string.Create(CultureInfo.InvariantCulture,
                $"its evaluation took {elapsed.TotalMilliseconds:0} ms, over the budget of {documentBudget.TotalMilliseconds:0} ms per document"));
            return false;
        }
        fault = "";
        return true;
    }

    /// <summary>What the run's page says when documents faulted: how many (over every execution of the run), and the first one's reason.</summary>
    public string FaultSummary(int faulted) => string.Create(CultureInfo.InvariantCulture,
        $"{faulted} document(s) made the rules fail or run over the budget of {documentBudget.TotalMilliseconds:0} ms per document; the first: {FirstFault ?? "see the problems (before a restart)"}");

    private string Fault(string document, string reason)
    {
        Faulted++;
        FirstFault ??= $"{document}: {reason}";
        return reason;
    }

    private async Task WatchAsync(Func<CancellationToken, Task<string?>> cancelledBy)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(source.Token))
            {
                if (Stopwatch.GetElapsedTime(started) > runBudget)
                {
                    FailureReason = string.Create(CultureInfo.InvariantCulture, $"stopped: the run exceeded its budget of {runBudget:c}");
                    await source.CancelAsync();
                }
                else if (await CancelledByAsync(cancelledBy) is { } who)
                {
                    CancelledBy = who;
                    await source.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (source.IsCancellationRequested)
        {
            // The run ended, the app is stopping, or this watchdog stopped it.
        }
    }

    private async Task<string?> CancelledByAsync(Func<CancellationToken, Task<string?>> cancelledBy)
    {
        try
        {
            return await cancelledBy(source.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // a failed read is tried again at the next tick
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!source.IsCancellationRequested) await source.CancelAsync();
        await polling;
        source.Dispose();
    }
}
