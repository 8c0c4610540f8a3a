using System.Globalization;
using MediatR;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Reevaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;

using Smart.Web.SinceIssue;

namespace Smart.Web.Simulations;

/// <summary>
/// Runs an impact simulation: every stored document of the simulation's country dated in its period is evaluated twice, with the book in
/// force and with the book the draft makes, without trace; only the documents whose figures differ are kept, with the monthly totals. A batch
/// at a time in id order; clients, production units, members and author-rights figures are read once per simulation, one query per batch for
/// those not read yet. The affected rows and the cursor are saved together after each batch, so a restart continues after the last finished
/// batch and never counts a document twice. A <see cref="RunWatchdog"/> bounds it: a document that throws or runs over its budget is counted as
/// failed and the simulation ends Failed with the count and the first reason; over its run budget it ends Failed at once; asked to, it ends
/// Cancelled. Neither is resumed at start-up.
/// </summary>
public static class SimulateImpact
{
    public const int DefaultBatchSize = 500;
    private const int MaxProblems = 20;

    public sealed record Command(int SimulationId) : IRequest<ImpactSimulation>;

    /// <summary>The two evaluators of a simulation: the book in force and the book with the draft in it (null when the draft fails its check).</summary>
    public sealed record Books(DocumentEvaluator InForce, DocumentEvaluator? Draft, DraftCheck Check);

    /// <summary>The draft of a simulation checked against the book in force now, as submission checks it.</summary>
    public static Books BooksFor(RuleBook inForce, ImpactSimulation simulation)
    {
        var check = inForce.Check(new RuleSource(simulation.Country, simulation.Key, simulation.DraftText));
        return new(new DocumentEvaluator(inForce), check.Passed ? new DocumentEvaluator(check.Book!) : null, check);
    }

    // The inputs are read once for the whole simulation: a year of invoices comes from a few thousand units, clients and members, each read
    // once rather than once per batch (the batch reads were most of a simulation's time). A simulation is a snapshot, so a record edited meanwhile does not matter.
    public sealed class Handler(ISimulationStore simulations, IInvoiceStore invoices, IContractStore contracts, InvoiceInputs inputs,
        RuleBookInForce rules, TimeProvider clock, IConfiguration configuration, JobBudgets budgets, IMediator mediator) : IRequestHandler<Command, ImpactSimulation>
    {
        private readonly int batchSize = Math.Max(1, configuration.GetValue("Smart:Simulation:BatchSize", DefaultBatchSize));

        public async Task<ImpactSimulation> Handle(Command command, CancellationToken cancellationToken)
        {
            var simulation = await simulations.GetAsync(command.SimulationId, cancellationToken)
                ?? throw new InvalidOperationException($"No impact simulation {command.SimulationId}.");
            if (simulation.IsFinished) return simulation;
            if (simulation.CancelledBy is not null)
                return await EndAsync(simulation with { Status = SimulationStatus.Cancelled, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
            if (simulation.Mode == SimulationMode.SinceIssue) return await mediator.Send(new SinceIssue.CompareSinceIssue.Command(simulation.Id), cancellationToken);

            var books = BooksFor(rules.Book, simulation);
            if (books.Draft is null)
            {
                // The draft passed when it was started; a publication since may have made it clash (its period, its tests).
                var failed = simulation with
                {
                    Status = SimulationStatus.Failed,
                    FinishedAtUtc = clock.GetUtcNow().UtcDateTime,
                    Problems = [.. books.Check.Problems.Take(MaxProblems).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Path} (line {p.Line}): {p.Message}"))],
                };
                await simulations.SaveAsync(failed, cancellationToken);
                return failed;
            }

            await using var watchdog = new RunWatchdog(budgets.Simulation, budgets.Document,
                async token => (await simulations.GetAsync(command.SimulationId, token))?.CancelledBy, cancellationToken);
            try
            {
                simulation = await RunAsync(simulation, books, watchdog);
            }
            catch (OperationCanceledException) when (watchdog.HasStopped)
            {
                // The progress of the last finished batch is kept; the simulation is over and is not resumed at start-up.
                var saved = await simulations.GetAsync(command.SimulationId, CancellationToken.None) ?? simulation;
                return await EndAsync(watchdog.CancelledBy is { } who
                    ? saved with { Status = SimulationStatus.Cancelled, CancelledBy = who, FinishedAtUtc = clock.GetUtcNow().UtcDateTime }
                    : saved with { Status = SimulationStatus.Failed, FailureReason = watchdog.FailureReason, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
            }
            return await EndAsync(simulation.Faulted > 0
                ? simulation with
                {
                    Status = SimulationStatus.Failed,
                    FailureReason = watchdog.FaultSummary(simulation.Faulted),
                    FinishedAtUtc = clock.GetUtcNow().UtcDateTime,
                }
                : simulation with { Status = SimulationStatus.Done, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
        }

        private async Task<ImpactSimulation> EndAsync(ImpactSimulation ended)
        {
            // Not the job's token: a simulation that has ended says so even while the app stops.
            await simulations.SaveAsync(ended, CancellationToken.None);
            return ended;
        }

        /// <summary>The batches from the simulation's cursors to the end; the progress as saved after the last batch.</summary>
        private async Task<ImpactSimulation> RunAsync(ImpactSimulation simulation, Books books, RunWatchdog watchdog)
        {
            var cancellationToken = watchdog.Token;
            if (simulation.Status == SimulationStatus.Queued)
            {
                var total = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.All)
                { Country = simulation.Country, From = simulation.From, To = simulation.To, Take = 1 }, cancellationToken)).Total
                    + (await contracts.SearchAsync(new ContractQuery(CountryScope.All)
                    { Country = simulation.Country, StartFrom = simulation.From, StartTo = simulation.To, Take = 1 }, cancellationToken)).Total;
                simulation = simulation with { Total = total };
            }
            simulation = simulation with { Status = SimulationStatus.Running };
            await simulations.SaveAsync(simulation, cancellationToken);
            var tally = new Tally(simulation);

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await invoices.DatedAfterAsync(simulation.Country, simulation.From, simulation.To, simulation.InvoiceCursor, batchSize, cancellationToken);
                if (batch.Count == 0) break;
                var affected = await InvoicesAsync(batch, books, tally, simulation.Id, watchdog);
                simulation = tally.Into(simulation) with { InvoiceCursor = batch[^1].Id };
                await simulations.SaveBatchAsync(simulation, affected, cancellationToken);
            }
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await contracts.StartingAfterAsync(simulation.Country, simulation.From, simulation.To, simulation.ContractCursor, batchSize, cancellationToken);
                if (batch.Count == 0) break;
                var affected = await watchdog.RunAsync(() => Contracts(batch, books, tally, simulation.Id, watchdog));
                simulation = tally.Into(simulation) with { ContractCursor = batch[^1].Id };
                await simulations.SaveBatchAsync(simulation, affected, cancellationToken);
            }
            return simulation;
        }

        private async Task<List<SimulatedDocument>> InvoicesAsync(IReadOnlyList<Invoice> batch, Books books, Tally tally, int simulationId, RunWatchdog watchdog)
        {
            // A credit note is evaluated as the invoice of the lines it credits on its original's date, as it was made; few, so read one by one.
            var evaluated = new Dictionary<int, Invoice>();
            foreach (var note in batch.Where(i => i.IsCreditNote))
                evaluated[note.Id] = AsCreditedInvoice(note, (await invoices.GetAsync(note.CreditNoteForId!.Value, watchdog.Token))?.Date ?? note.Date);
            await inputs.LoadAsync([.. batch.Select(i => evaluated.GetValueOrDefault(i.Id, i))], watchdog.Token);
            return await watchdog.RunAsync(() => Invoices(batch, evaluated, books, tally, simulationId, watchdog));
        }

        private List<SimulatedDocument> Invoices(IReadOnlyList<Invoice> batch, IReadOnlyDictionary<int, Invoice> creditNotes, Books books, Tally tally, int simulationId,
            RunWatchdog watchdog)
        {
            var affected = new List<SimulatedDocument>();
            foreach (var invoice in batch)
            {
                tally.Done++;
                if (inputs.Document(creditNotes.GetValueOrDefault(invoice.Id, invoice)) is not { } document)
                {
                    tally.Problem(Kinds.Invoice, invoice.Id, "its production unit or client no longer exists");
                    continue;
                }
                if (!watchdog.TryEvaluate($"{Kinds.Invoice} {invoice.Id}",
                        () => (books.InForce.EvaluateInvoice(document, explain: false), books.Draft!.EvaluateInvoice(document, explain: false)),
                        o => o.Item1.RuleFailure ?? o.Item2.RuleFailure, out var outcomes, out var fault))
                {
                    tally.Fault(Kinds.Invoice, invoice.Id, fault);
                    continue;
                }
                var (before, after) = outcomes;
                var wouldChange = invoice.Status == InvoiceStatus.Draft;
                if (before.Value is { } positiveBefore && after.Value is { } positiveAfter)
                {
                    // A credit note takes back what its lines brought: its figures count negative in the totals.
                    var (b, a) = invoice.IsCreditNote ? (positiveBefore.Negated(), positiveAfter.Negated()) : (positiveBefore, positiveAfter);
                    tally.Currency ??= b.Currency;
                    var same = b.Same(a);
                    tally.Month(invoice.Date, !same, b.Totals.Vat, a.Totals.Vat, b.Contribution.Amount, a.Contribution.Amount, 0m, 0m);
                    if (same) continue;
                    affected.Add(tally.Affected(new(simulationId, Kinds.Invoice, invoice.Id, invoice.Date, invoice.Status.ToString(), wouldChange, invoice.Number,
                        Figures(b), Figures(a))));
                    continue;
                }
                tally.Problem(Kinds.Invoice, invoice.Id, Error(before) ?? Error(after)!);
                // Refused by one book only: what publishing the draft would do to this document.
                if (before.IsSuccess != after.IsSuccess)
                    affected.Add(tally.Affected(new(simulationId, Kinds.Invoice, invoice.Id, invoice.Date, invoice.Status.ToString(), wouldChange, invoice.Number,
                        Figures(before), Figures(after))));
            }
            return affected;
        }

        private static List<SimulatedDocument> Contracts(IReadOnlyList<Contract> batch, Books books, Tally tally, int simulationId, RunWatchdog watchdog)
        {
            var affected = new List<SimulatedDocument>();
            foreach (var contract in batch)
            {
                tally.Done++;
                var document = EvaluationInputs.Contract(contract);
                if (!watchdog.TryEvaluate($"{Kinds.Contract} {contract.Id}",
                        () => (books.InForce.EvaluateContract(document, explain: false), books.Draft!.EvaluateContract(document, explain: false)),
                        o => o.Item1.RuleFailure ?? o.Item2.RuleFailure, out var outcomes, out var fault))
                {
                    tally.Fault(Kinds.Contract, contract.Id, fault);
                    continue;
                }
                var (before, after) = outcomes;
                var wouldChange = ReevaluateDocuments.ContractStatuses.Contains(contract.Status);
                if (before.Value is { } b && after.Value is { } a)
                {
                    tally.Currency ??= b.Currency;
                    var same = b.Same(a);
                    tally.Month(contract.StartDate, !same, 0m, 0m, 0m, 0m, b.Employment.MutualisedContribution, a.Employment.MutualisedContribution);
                    if (same) continue;
                    affected.Add(tally.Affected(new(simulationId, Kinds.Contract, contract.Id, contract.StartDate, contract.Status.ToString(), wouldChange, null,
                        Figures(b), Figures(a))));
                    continue;
                }
                tally.Problem(Kinds.Contract, contract.Id, Error(before) ?? Error(after)!);
                if (before.IsSuccess != after.IsSuccess)
                    affected.Add(tally.Affected(new(simulationId, Kinds.Contract, contract.Id, contract.StartDate, contract.Status.ToString(), wouldChange, null,
                        Figures(before), Figures(after))));
            }
            return affected;
        }
    }

    /// <summary>A credit note as the invoice it was evaluated as: its lines' quantities positive again, dated as the invoice it corrects.</summary>
    public static Invoice AsCreditedInvoice(Invoice note, DateOnly originalDate) =>
        note with { Lines = [.. note.Lines.Select(l => l with { Quantity = -l.Quantity })], Date = originalDate };

    public static class Kinds
    {
        public const string Invoice = "invoice";
        public const string Contract = "contract";
    }

    public static DocumentFigures Figures(InvoiceEvaluation e) => new(e.Totals.Net, e.Totals.Vat, e.Totals.Gross, e.Contribution.Rate, e.Contribution.Amount,
        Withholding: e.AuthorRights?.Withholding ?? 0m, LumpSum: e.AuthorRights?.LumpSumDeduction ?? 0m);

    public static DocumentFigures Figures(ContractEvaluation e) => new(e.Employment.Budget, 0m, e.Employment.Budget, e.Contribution.Rate, e.Contribution.Amount,
        e.Employment.MutualisedContribution, e.Employment.EmployerContributions, e.Employment.GrossSalary, e.Employment.WorkerContributions, e.Employment.NetBeforeTax);

    public static DocumentFigures Figures(Outcome<InvoiceEvaluation> outcome) =>
        outcome.Value is { } e ? Figures(e) : new(0m, 0m, 0m, 0m, 0m, Error: Error(outcome));

    private static DocumentFigures Figures(Outcome<ContractEvaluation> outcome) =>
        outcome.Value is { } e ? Figures(e) : new(0m, 0m, 0m, 0m, 0m, Error: Error(outcome));

    public static string? Error<T>(Outcome<T> outcome) where T : class => outcome.IsSuccess ? null
        : string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    /// <summary>The counters, counts and monthly totals of a simulation while it runs, started from what it had saved.</summary>
    internal sealed class Tally(ImpactSimulation start)
    {
        private readonly Dictionary<(int Year, int Month), MonthTotals> months = start.Months.ToDictionary(m => (m.Year, m.Month));
        private readonly Dictionary<(string Kind, string Status, bool WouldChange), int> counts =
            start.Counts.ToDictionary(c => (c.Kind, c.Status, c.WouldChange), c => c.Count);
        private readonly List<string> problems = [.. start.Problems];
        private int affected = start.Affected;
        private int failed = start.Failed;
        private int faulted = start.Faulted;

        public int Done { get; set; } = start.Done;
        public string? Currency { get; set; } = start.Currency;

        public void Month(DateOnly date, bool isAffected, decimal vatBefore, decimal vatAfter, decimal contributionBefore, decimal contributionAfter,
            decimal mutualisedBefore, decimal mutualisedAfter)
        {
            var m = months.GetValueOrDefault((date.Year, date.Month)) ?? new MonthTotals(date.Year, date.Month, 0, 0, 0m, 0m, 0m, 0m, 0m, 0m);
            months[(date.Year, date.Month)] = m with
            {
                Documents = m.Documents + 1,
                Affected = m.Affected + (isAffected ? 1 : 0),
                VatBefore = m.VatBefore + vatBefore,
                VatAfter = m.VatAfter + vatAfter,
                ContributionBefore = m.ContributionBefore + contributionBefore,
                ContributionAfter = m.ContributionAfter + contributionAfter,
                MutualisedBefore = m.MutualisedBefore + mutualisedBefore,
                MutualisedAfter = m.MutualisedAfter + mutualisedAfter,
            };
        }

        public SimulatedDocument Affected(SimulatedDocument document)
        {
            affected++;
            var key = (document.Kind, document.Status, document.WouldChange);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            return document;
        }

        public void Problem(string kind, int id, string message)
        {
            failed++;
            if (problems.Count < MaxProblems) problems.Add(string.Create(CultureInfo.InvariantCulture, $"{kind} {id}: {message}"));
        }

        /// <summary>A document whose evaluation threw or ran over its budget: failed, and counted apart because it fails the simulation.</summary>
        public void Fault(string kind, int id, string message)
        {
            faulted++;
            Problem(kind, id, message);
        }

        public ImpactSimulation Into(ImpactSimulation simulation) => simulation with
        {
            Done = Done,
            Affected = affected,
            Failed = failed,
            Faulted = faulted,
            Currency = Currency,
            Problems = [.. problems],
            Counts = counts.Select(c => new AffectedCount(c.Key.Kind, c.Key.Status, c.Key.WouldChange, c.Value)).OrderBy(c => c.Kind).ThenBy(c => c.Status).ToList(),
            Months = months.Values.OrderBy(m => m.Year).ThenBy(m => m.Month).ToList(),
        };
    }
}
