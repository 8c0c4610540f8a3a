using System.Globalization;
using MediatR;
using Smart.Rules.Evaluation;
using Smart.Web.Jobs;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Reevaluation;

/// <summary>
/// Re-evaluates a run's documents with the rules in force when the run (or its resumption) starts, a batch at a time in id order, and stores
/// only the evaluations that changed. The invoices' inputs are read as a save reads them (<see cref="InvoiceInputs"/>), one query per kind per batch.
/// A batch's documents and the run's cursor and counters are written in one transaction (<see cref="RunAdvance"/>): a restart, or another
/// instance taking over a killed one's run, continues after the last committed batch, and a batch cut off before it committed left nothing,
/// so no document is written twice and the counters count each once. One execution holds the run at a time (<see cref="IReevaluationStore.TryClaimAsync"/>). A <see cref="RunWatchdog"/>
/// bounds it: a document that throws or runs over its budget is counted as failed and left as it was, and the run ends Failed with the count
/// and the first reason; over its run budget it ends Failed at once; asked to, it ends Cancelled. Neither is resumed at start-up.
/// </summary>
public static class ReevaluateDocuments
{
    /// <summary>The audit actor of every change a run writes: <c>system:reevaluation</c>.</summary>
    public static readonly AuditActor Actor = AuditActor.System("reevaluation");

    /// <summary>
    /// Contracts re-evaluated: drafts, and confirmed contracts whose salary is not paid, which still hold their budget and stay editable (the
    /// edit form saves any status and evaluates it again); a rule that changes from a date only changes the ones starting from that date. A
    /// cancelled contract holds nothing and is closed, and a paid one's evaluation is what its unit spent: theirs stay as they were, and a run
    /// does not read them (<see cref="Contract.CanBeReevaluated"/>). Invoices: drafts only (<see cref="Invoice.IsDraftAt"/>, the draft query's
    /// filter); issued, paid and credited ones are frozen.
    /// </summary>
    public static readonly IReadOnlyList<ContractStatus> ContractStatuses = [ContractStatus.Draft, ContractStatus.Confirmed];

    public const int DefaultBatchSize = 500;
    private const int MaxProblems = 20;

    public sealed record Command(int RunId) : IRequest<Result>;

    /// <summary>What this execution did (a resumed run counts only what it did after resuming); the run record holds the totals.</summary>
    public sealed record Result(int Evaluated, int Changed, int Failed, int Skipped)
    {
        public static Result None { get; } = new(0, 0, 0, 0);
    }

    public sealed class Handler(IReevaluationStore runs, IInvoiceStore invoices, IContractStore contracts, InvoiceInputs inputs, DocumentEvaluator evaluator, TimeProvider clock, IConfiguration configuration, JobBudgets budgets) : IRequestHandler<Command, Result>
    {
        // The evaluator was resolved for this execution: the book in force now, used for the whole execution.
        private readonly int batchSize = Math.Max(1, configuration.GetValue("Smart:Reevaluation:BatchSize", DefaultBatchSize));
        // Whether most of the last batch of each kind changed (Changed): this execution's only state across batches.
        private bool invoicesMostlyChange, contractsMostlyChange;

        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            // One execution of a run at a time, on any instance: a second job for it (queued again at start-up, or by an instance that saw it
            // orphaned) leaves it to the one that holds it. The claim dies with its process, so a killed instance's run is taken over.
            await using var claim = await runs.TryClaimAsync(command.RunId, cancellationToken);
            if (claim is null) return Result.None;
            var run = await runs.GetAsync(command.RunId, cancellationToken) ?? throw new InvalidOperationException($"No re-evaluation run {command.RunId}.");
            if (run.Status != ReevaluationStatus.Running) return Result.None;
            if (run.CancelledBy is not null)
            {
                await EndAsync(run with { Status = ReevaluationStatus.Cancelled, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
                return Result.None;
            }

            var done = Result.None;
            await using var watchdog = new RunWatchdog(budgets.Reevaluation, budgets.Document,
                async token => (await runs.GetAsync(command.RunId, token))?.CancelledBy, cancellationToken);
            try
            {
                run = await RunAsync(run, watchdog, outcome => done = Add(done, outcome));
            }
            catch (OperationCanceledException) when (watchdog.HasStopped)
            {
                // The progress of the last finished batch is kept; the run is over and is not resumed at start-up.
                var saved = await runs.GetAsync(command.RunId, CancellationToken.None) ?? run;
                await EndAsync(watchdog.CancelledBy is { } who
                    ? saved with { Status = ReevaluationStatus.Cancelled, CancelledBy = who, FinishedAtUtc = clock.GetUtcNow().UtcDateTime }
                    : saved with { Status = ReevaluationStatus.Failed, FailureReason = watchdog.FailureReason, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
                return done;
            }
            catch (RunMovedOnException)
            {
                // Another execution holds the run now (this one's claim was lost): nothing of this batch was written; that one finishes it.
                return done;
            }
            var ended = run.Faulted > 0
                ? run with { Status = ReevaluationStatus.Failed, FailureReason = watchdog.FaultSummary(run.Faulted), FinishedAtUtc = clock.GetUtcNow().UtcDateTime }
                : run with { Status = ReevaluationStatus.Done, FinishedAtUtc = clock.GetUtcNow().UtcDateTime };
            // Ended only from where this execution left it: never over the progress of another execution.
            await runs.TryAdvanceAsync(new RunAdvance(run.Id, run.InvoiceCursor, run.ContractCursor, _ => ended), CancellationToken.None);
            return done;
        }

        // Not the job's token: a run that has ended says so even while the app stops.
        private Task EndAsync(ReevaluationRun ended) => runs.SaveAsync(ended, CancellationToken.None);

        /// <summary>The batches from the run's cursors to the end; the run as saved after the last batch.</summary>
        private async Task<ReevaluationRun> RunAsync(ReevaluationRun run, RunWatchdog watchdog, Action<Result> counted)
        {
            var cancellationToken = watchdog.Token;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await invoices.DraftsAfterAsync(run.Country, run.InvoiceCursor, batchSize, cancellationToken);
                if (batch.Count == 0) break;
                (var outcome, run) = await InvoicesAsync(batch, run, watchdog);
                counted(outcome.Counts);
            }
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await contracts.AfterAsync(run.Country, ContractStatuses, run.ContractCursor, batchSize, cancellationToken);
                if (batch.Count == 0) break;
                (var outcome, run) = await ContractsAsync(batch, run, watchdog);
                counted(outcome.Counts);
            }
            return run;
        }

        /// <summary>
        /// A batch of invoices evaluated and written with the run's progress in one transaction (<see cref="RunAdvance"/>): what it did, and the run after it.
        /// </summary>
        private async Task<(BatchOutcome, ReevaluationRun)> InvoicesAsync(IReadOnlyList<Invoice> batch, ReevaluationRun run, RunWatchdog watchdog)
        {
            var cancellationToken = watchdog.Token;
            await inputs.LoadAsync(batch, cancellationToken);
            var (replacements, problems, faulted) = await watchdog.RunAsync(() => EvaluateInvoices(batch, run.Reason, watchdog));
            BatchOutcome Outcome(IReadOnlyList<bool> written) => new(batch.Count, written.Count(w => w), problems, written.Count(w => !w), faulted);
            var advance = new RunAdvance(run.Id, run.InvoiceCursor, run.ContractCursor,
                written => Advance(run, Outcome(written)) with { InvoiceCursor = batch[^1].Id });
            var written = await invoices.ReplaceDraftEvaluationsAsync(replacements, Actor, advance, cancellationToken);
            return (Outcome(written), advance.After(written));
        }

        /// <summary>A batch's invoices evaluated off the job's worker: the evaluations to write, the problems, the documents that faulted.</summary>
        private (List<EvaluationReplacement<InvoiceEvaluation>>, List<string>, int) EvaluateInvoices(IReadOnlyList<Invoice> batch, string reason,
            RunWatchdog watchdog)
        {
            var replacements = new List<EvaluationReplacement<InvoiceEvaluation>>();
            var problems = new List<string>();
            var faulted = 0;
            var explainFirst = invoicesMostlyChange;
            foreach (var invoice in batch)
            {
                if (inputs.Document(invoice) is not { } document)
                {
                    problems.Add(Problem("invoice", invoice.Id, "its production unit or client no longer exists"));
                    continue;
                }
                if (Changed("invoice", invoice.Id, explain => evaluator.EvaluateInvoice(document, explain), fresh => invoice.Evaluation is { } stored && Unchanged(stored, fresh),
                    explainFirst, watchdog, problems, ref faulted) is not { } changed) continue;
                // Stored with its knowledge date.
                var explained = changed with { AsKnownOn = clock.GetUtcNow() };
                replacements.Add(new(invoice.Id, invoice.Version, explained,
                    [new AuditChange("Evaluation", Summary(invoice.Evaluation), Summary(explained)), new AuditChange("Reason", null, reason)]));
            }
            invoicesMostlyChange = MostlyChange(replacements.Count, batch.Count);
            return (replacements, problems, faulted);
        }

        private async Task<(BatchOutcome, ReevaluationRun)> ContractsAsync(IReadOnlyList<Contract> batch, ReevaluationRun run, RunWatchdog watchdog)
        {
            var (replacements, problems, faulted, evaluated) = await watchdog.RunAsync(() => EvaluateContracts(batch, run.Reason, watchdog));
            BatchOutcome Outcome(IReadOnlyList<bool> written) => new(evaluated, written.Count(w => w), problems, written.Count(w => !w), faulted);
            var advance = new RunAdvance(run.Id, run.InvoiceCursor, run.ContractCursor,
                written => Advance(run, Outcome(written)) with { ContractCursor = batch[^1].Id });
            var written = await contracts.ReplaceEvaluationsAsync(replacements, ContractStatuses, Actor, advance, watchdog.Token);
            return (Outcome(written), advance.After(written));
        }

        /// <summary>
        /// A batch's contracts evaluated off the job's worker: the evaluations to write, the problems, the documents that faulted, and how many
        /// were evaluated. The store selects only contracts a run may change; one it may not (<see cref="Contract.CanBeReevaluated"/>: a paid
        /// contract is closed) is neither evaluated nor counted. The store's write checks it again, in its transaction, for a contract paid or
        /// edited since it was read.
        /// </summary>
        private (List<EvaluationReplacement<ContractEvaluation>>, List<string>, int, int) EvaluateContracts(IReadOnlyList<Contract> batch, string reason,
            RunWatchdog watchdog)
        {
            var replacements = new List<EvaluationReplacement<ContractEvaluation>>();
            var problems = new List<string>();
            var faulted = 0;
            var evaluated = 0;
            var explainFirst = contractsMostlyChange;
            foreach (var contract in batch)
            {
                if (!contract.CanBeReevaluated(ContractStatuses, contract.Version)) continue;
                evaluated++;
                var document = EvaluationInputs.Contract(contract);
                if (Changed("contract", contract.Id, explain => evaluator.EvaluateContract(document, explain), fresh => contract.Evaluation is { } stored && Unchanged(stored, fresh),
                    explainFirst, watchdog, problems, ref faulted) is not { } changed) continue;
                var explained = changed with { AsKnownOn = clock.GetUtcNow() };
                replacements.Add(new(contract.Id, contract.Version, explained,
                    [new AuditChange("Evaluation", Summary(contract.Evaluation), Summary(explained)), new AuditChange("Reason", null, reason)]));
            }
            contractsMostlyChange = MostlyChange(replacements.Count, evaluated);
            return (replacements, problems, faulted, evaluated);
        }

        /// <summary>
        /// A document's fresh evaluation, with its trace, when it differs from the stored one; null when it does not or could not be evaluated (a
        /// problem added; counted in <paramref name="faulted"/> when it threw or ran over its budget). Without the trace first while most documents
        /// do not change, as only those that do need their explanation; with it at once while most of the previous batch changed (a rate raised
        /// for every draft), which spares evaluating each document twice. Both give the same figures: the trace only explains them.
        /// </summary>
        private static T? Changed<T>(string kind, int id, Func<bool, Outcome<T>> evaluate, Func<T, bool> unchanged, bool explainFirst, RunWatchdog watchdog,
            List<string> problems, ref int faulted) where T : class
        {
            var document = string.Create(CultureInfo.InvariantCulture, $"{kind} {id}");
            if (!watchdog.TryEvaluate(document, () => evaluate(explainFirst), o => o.RuleFailure, out var first, out var fault))
            {
                problems.Add(Problem(kind, id, fault));
                faulted++;
                return null;
            }
            if (first.Value is not { } fresh)
            {
                problems.Add(Problem(kind, id, first));
                return null;
            }
            if (unchanged(fresh)) return null;
            if (explainFirst) return fresh;
            if (!watchdog.TryEvaluate(document, () => evaluate(true), o => o.RuleFailure, out var explained, out fault))
            {
                problems.Add(Problem(kind, id, fault));
                faulted++;
                return null;
            }
            // The same input as the quick evaluation, which succeeded: the explained one has a value.
            return explained.Value!;
        }

        /// <summary>Whether most of a batch's evaluated documents changed: the next batch is then evaluated with its trace at once.</summary>
        private static bool MostlyChange(int changed, int evaluated) => changed * 2 > evaluated;

        private static ReevaluationRun Advance(ReevaluationRun run, BatchOutcome outcome) => run with
        {
            Done = run.Done + outcome.Evaluated,
            Changed = run.Changed + outcome.Changed,
            Failed = run.Failed + outcome.Problems.Count,
            Faulted = run.Faulted + outcome.Faulted,
            Skipped = run.Skipped + outcome.Skipped,
            Problems = [.. run.Problems, .. outcome.Problems.Take(Math.Max(0, MaxProblems - run.Problems.Count))],
        };

        private static Result Add(Result total, Result batch) =>
            new(total.Evaluated + batch.Evaluated, total.Changed + batch.Changed, total.Failed + batch.Failed, total.Skipped + batch.Skipped);
    }

    /// <summary>
    /// The stored evaluation stays when it is the same evaluation (<see cref="InvoiceEvaluation.Same"/>, the simulation's test too) and names the
    /// same rule-set versions: a draft then says which rules it was last evaluated with.
    /// </summary>
    private static bool Unchanged(InvoiceEvaluation stored, InvoiceEvaluation fresh) => stored.Same(fresh) && SameVersions(stored.Rulesets, fresh.Rulesets);

    private static bool Unchanged(ContractEvaluation stored, ContractEvaluation fresh) => stored.Same(fresh) && SameVersions(stored.Rulesets, fresh.Rulesets);

    /// <summary>The same files' versions; a later publication that gives the same result does not rewrite every draft to name it.</summary>
    private static bool SameVersions(IReadOnlyList<RuleSetUsed> stored, IReadOnlyList<RuleSetUsed> fresh) =>
        stored.Select(r => (r.Id, r.Version, r.ValidFrom)).SequenceEqual(fresh.Select(r => (r.Id, r.Version, r.ValidFrom)));

    private static string Problem<T>(string kind, int id, Outcome<T> outcome) where T : class =>
        Problem(kind, id, string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));

    private static string Problem(string kind, int id, string message) => string.Create(CultureInfo.InvariantCulture, $"{kind} {id}: {message}");

    private static string? Summary(InvoiceEvaluation? e) => e is null ? null : string.Create(CultureInfo.InvariantCulture,
        $"net {e.Totals.Net}, VAT {e.Totals.Vat}, gross {e.Totals.Gross}, contribution {e.Contribution.Amount}{AuthorRights(e.AuthorRights)}; {Versions(e.Rulesets)}");

    private static string AuthorRights(AuthorRightsResult? a) => a is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $", author rights {a.Amount} (year to date {a.YearToDate}, withholding {a.Withholding}, above ceiling {a.AboveCeiling})");

    private static string? Summary(ContractEvaluation? e) => e is null ? null : string.Create(CultureInfo.InvariantCulture,
        $"mutualised {e.Employment.MutualisedContribution}, employer {e.Employment.EmployerContributions}, gross salary {e.Employment.GrossSalary}, net {e.Employment.NetBeforeTax}; {Versions(e.Rulesets)}");

    private static string Versions(IReadOnlyList<RuleSetUsed> used) => string.Join(", ", used.Select(r => $"{r.Id} {r.Version}"));

    private sealed record BatchOutcome(int Evaluated, int Changed, IReadOnlyList<string> Problems, int Skipped, int Faulted)
    {
        public Result Counts => new(Evaluated, Changed, Problems.Count, Skipped);
    }
}
