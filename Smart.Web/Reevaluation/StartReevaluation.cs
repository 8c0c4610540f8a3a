using MediatR;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Reevaluation;

/// <summary>
/// Asks for a bulk re-evaluation: records the run (so a restart resumes it) and queues it. What the rule-set publication sends when a
/// version takes effect, and what the re-evaluation page sends for a person; neither waits for the run. Authorisation is the caller's.
/// </summary>
public static class StartReevaluation
{
    /// <param name="Reason">Why: written on the run and on every document's audit entry.</param>
    /// <param name="Country">A country code, or null for every country.</param>
    /// <param name="StartedBy">The person's e-mail, or a system process such as <c>system:rule-publication</c>.</param>
    public sealed record Command(string Reason, string? Country, string StartedBy) : IRequest<int>;

    public sealed class Handler(IReevaluationStore runs, IInvoiceStore invoices, IContractStore contracts, ReevaluationJobs jobs, TimeProvider clock)
        : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var run = await RecordAsync(command, runs, invoices, contracts, clock, cancellationToken);
            jobs.Enqueue(run.Id);
            return run.Id;
        }
    }

    /// <summary>The run written down with the number of documents it has to re-evaluate, not queued (the measurement tool runs it in process).</summary>
    public static async Task<ReevaluationRun> RecordAsync(Command command, IReevaluationStore runs, IInvoiceStore invoices, IContractStore contracts, TimeProvider clock,
        CancellationToken cancellationToken = default)
    {
        var country = string.IsNullOrWhiteSpace(command.Country) ? null : CountryCode.Normalise(command.Country);
        var total = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.All) { Country = country, Status = InvoiceStatus.Draft, Take = 1 }, cancellationToken)).Total;
        foreach (var status in ReevaluateDocuments.ContractStatuses)
            // As the run's batches select them (Contract.CanBeReevaluated): a paid contract is closed and not counted.
            total += (await contracts.SearchAsync(new ContractQuery(CountryScope.All) { Country = country, Status = status, SalaryPaid = false, Take = 1 }, cancellationToken)).Total;
        return await runs.AddAsync(new ReevaluationRun
        {
            Reason = command.Reason.Trim(), StartedBy = command.StartedBy, Country = country, StartedAtUtc = clock.GetUtcNow().UtcDateTime, Total = total,
        }, cancellationToken);
    }
}
