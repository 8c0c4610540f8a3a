using MediatR;
using Smart.Rules.Evaluation;
using Smart.Web.Jobs;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.SinceIssue;

/// <summary>
/// The since-issue mode of the impact simulation: every issued invoice of the country dated in the period whose stored evaluation was made before
/// the version's publication is evaluated again with the book as known now (<see cref="IssuedEvaluations"/>); those whose amounts differ are kept
/// with what was applied and what is due, added up by month and by member and year. Drafts are left out: publication re-evaluates them.
/// Contracts are left out too: every contract a publication does not re-evaluate is cancelled. Batches, cursor, watchdog, cancellation and
/// restart work as in <see cref="SimulateImpact"/>, whose job runs this.
/// </summary>
public static class CompareSinceIssue
{
    public sealed record Command(int SimulationId) : IRequest<ImpactSimulation>;

    public sealed class Handler(ISimulationStore simulations, IInvoiceStore invoices, IssuedEvaluations issued, TimeProvider clock, IConfiguration configuration,
        JobBudgets budgets) : IRequestHandler<Command, ImpactSimulation>
    {
        private readonly int batchSize = Math.Max(1, configuration.GetValue("Smart:Simulation:BatchSize", SimulateImpact.DefaultBatchSize));

        public async Task<ImpactSimulation> Handle(Command command, CancellationToken cancellationToken)
        {
            var simulation = await simulations.GetAsync(command.SimulationId, cancellationToken)
                ?? throw new InvalidOperationException($"No impact simulation {command.SimulationId}.");
            if (simulation.IsFinished) return simulation;

            await using var watchdog = new RunWatchdog(budgets.Simulation, budgets.Document,
                async token => (await simulations.GetAsync(command.SimulationId, token))?.CancelledBy, cancellationToken);
            try
            {
                simulation = await RunAsync(simulation, watchdog);
            }
            catch (OperationCanceledException) when (watchdog.HasStopped)
            {
                var saved = await simulations.GetAsync(command.SimulationId, CancellationToken.None) ?? simulation;
                return await EndAsync(watchdog.CancelledBy is { } who
                    ? saved with { Status = SimulationStatus.Cancelled, CancelledBy = who, FinishedAtUtc = clock.GetUtcNow().UtcDateTime }
                    : saved with { Status = SimulationStatus.Failed, FailureReason = watchdog.FailureReason, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
            }
            return await EndAsync(simulation.Faulted > 0
                ? simulation with { Status = SimulationStatus.Failed, FailureReason = watchdog.FaultSummary(simulation.Faulted), FinishedAtUtc = clock.GetUtcNow().UtcDateTime }
                : simulation with { Status = SimulationStatus.Done, FinishedAtUtc = clock.GetUtcNow().UtcDateTime });
        }

        private async Task<ImpactSimulation> EndAsync(ImpactSimulation ended)
        {
            await simulations.SaveAsync(ended, CancellationToken.None);
            return ended;
        }

        private async Task<ImpactSimulation> RunAsync(ImpactSimulation simulation, RunWatchdog watchdog)
        {
            var cancellationToken = watchdog.Token;
            if (simulation.Status == SimulationStatus.Queued)
            {
                var inPeriod = new InvoiceQuery(CountryScope.All) { Country = simulation.Country, From = simulation.From, To = simulation.To, Take = 1 };
                var total = (await invoices.SearchAsync(inPeriod, cancellationToken)).Total
                    - (await invoices.SearchAsync(inPeriod with { Status = InvoiceStatus.Draft }, cancellationToken)).Total;
                simulation = simulation with { Total = total };
            }
            simulation = simulation with { Status = SimulationStatus.Running };
            await simulations.SaveAsync(simulation, cancellationToken);
            var tally = new SimulateImpact.Tally(simulation);
            var members = simulation.Members.ToDictionary(m => (m.MemberId, m.Year));

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await invoices.DatedAfterAsync(simulation.Country, simulation.From, simulation.To, simulation.InvoiceCursor, batchSize, cancellationToken);
                if (batch.Count == 0) break;
                var affected = await BatchAsync(batch, simulation, tally, members, watchdog);
                simulation = tally.Into(simulation) with
                {
                    InvoiceCursor = batch[^1].Id,
                    Members = [.. members.Values.OrderBy(m => m.Year).ThenBy(m => m.Member, StringComparer.Ordinal).ThenBy(m => m.MemberId)],
                };
                await simulations.SaveBatchAsync(simulation, affected, cancellationToken);
            }
            return simulation;
        }

        private async Task<List<SimulatedDocument>> BatchAsync(IReadOnlyList<Invoice> batch, ImpactSimulation simulation, SimulateImpact.Tally tally,
            Dictionary<(int MemberId, int Year), MemberYearTotals> members, RunWatchdog watchdog)
        {
            var compared = batch.Where(i => i.Status != InvoiceStatus.Draft && i.Evaluation is not null).ToList();
            var evaluated = await issued.AsEvaluatedAsync(compared, watchdog.Token);
            // The books as known at issue, built before the evaluations run (a store read per publication interval, not per document).
            var atIssue = new Dictionary<int, DocumentEvaluator?>();
            foreach (var invoice in compared) atIssue[invoice.Id] = await issued.AtIssueAsync(invoice.Evaluation!, watchdog.Token);
            return await watchdog.RunAsync(() => Compare(batch, evaluated, atIssue, simulation, tally, members, watchdog));
        }

        private List<SimulatedDocument> Compare(IReadOnlyList<Invoice> batch, IReadOnlyDictionary<int, Invoice> evaluated,
            IReadOnlyDictionary<int, DocumentEvaluator?> atIssue, ImpactSimulation simulation, SimulateImpact.Tally tally,
            Dictionary<(int MemberId, int Year), MemberYearTotals> members, RunWatchdog watchdog)
        {
            var affected = new List<SimulatedDocument>();
            foreach (var invoice in batch)
            {
                if (invoice.Status == InvoiceStatus.Draft) continue;
                tally.Done++;
                if (invoice.Evaluation is not { } stored)
                {
                    tally.Problem(SimulateImpact.Kinds.Invoice, invoice.Id, "it has no stored evaluation");
                    continue;
                }
                // Evaluated after the publication: it used the version already.
                if (!IssuedEvaluations.MadeBefore(stored, simulation.KnownBefore)) continue;
                if (issued.Document(evaluated[invoice.Id], stored) is not { } document)
                {
                    tally.Problem(SimulateImpact.Kinds.Invoice, invoice.Id, "its production unit or client no longer exists");
                    continue;
                }
                if (!watchdog.TryEvaluate($"{SimulateImpact.Kinds.Invoice} {invoice.Id}", () => issued.DueNow(invoice, document, explain: false),
                        o => o.RuleFailure, out var now, out var fault))
                {
                    tally.Fault(SimulateImpact.Kinds.Invoice, invoice.Id, fault);
                    continue;
                }
                tally.Currency ??= stored.Currency;
                var due = now.Value;
                // Differs in an amount (VAT, contribution, withholding, lump sum): a ceiling figure that moved without changing what is owed is not a difference here.
                var same = due is not null && SimulateImpact.Figures(stored) == SimulateImpact.Figures(due);
                if (same)
                {
                    tally.Month(invoice.Date, false, stored.Totals.Vat, stored.Totals.Vat, stored.Contribution.Amount, stored.Contribution.Amount, 0m, 0m);
                    continue;
                }
                // The book as known at issue must still give what was stored, or the input moved (member, client), not the law.
                if (due is not null && atIssue[invoice.Id] is { } then)
                {
                    if (!watchdog.TryEvaluate($"{SimulateImpact.Kinds.Invoice} {invoice.Id}",
                            () => IssuedEvaluations.Signed(then.EvaluateInvoice(document, explain: false), invoice.IsCreditNote), o => o.RuleFailure, out var control, out fault))
                    {
                        tally.Fault(SimulateImpact.Kinds.Invoice, invoice.Id, fault);
                        continue;
                    }
                    if (control.Value is not { } reproduced || !reproduced.Same(stored))
                    {
                        tally.Month(invoice.Date, false, stored.Totals.Vat, stored.Totals.Vat, stored.Contribution.Amount, stored.Contribution.Amount, 0m, 0m);
                        tally.Problem(SimulateImpact.Kinds.Invoice, invoice.Id,
                            "the rules as known at issue no longer give its stored figures: its member or client changed since, so the difference is not the rules'");
                        continue;
                    }
                }
                tally.Month(invoice.Date, true, stored.Totals.Vat, due?.Totals.Vat ?? 0m, stored.Contribution.Amount, due?.Contribution.Amount ?? 0m, 0m, 0m);
                // Refused now: listed, with why.
                if (due is null) tally.Problem(SimulateImpact.Kinds.Invoice, invoice.Id, SimulateImpact.Error(now)!);
                var member = issued.MemberOf(evaluated[invoice.Id]);
                var (applied, dueFigures) = (SimulateImpact.Figures(stored), SimulateImpact.Figures(now));
                affected.Add(tally.Affected(new(simulation.Id, SimulateImpact.Kinds.Invoice, invoice.Id, invoice.Date, invoice.Status.ToString(), false, invoice.Number,
                    applied, dueFigures, member?.Id, member?.Name)));
                // A member's totals add up what is due; an invoice the rules now refuse has nothing due to add (it is listed with why).
                if (member is not null && due is not null)
                {
                    var key = (member.Id, invoice.Date.Year);
                    members[key] = (members.GetValueOrDefault(key) ?? new MemberYearTotals(member.Id, member.Name, invoice.Date.Year, 0, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m))
                        .Add(applied, dueFigures);
                }
            }
            return affected;
        }
    }
}
