using System.Globalization;
using Hangfire;
using MediatR;
using Smart.Web.Behaviours;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;

namespace Smart.Web.Budget;

/// <summary>
/// The 7-day salary guarantee: a confirmed contract whose work is done has its salary paid, whether or not the unit's clients have paid
/// yet. Staff mark one paid from the contract's page; the daily job pays every contract whose work ended before today, so none waits more
/// than a day, well within the 7. Both send the same request; the contract store writes the ledger entries in the same transaction, and a
/// contract already paid is left as it is, so a repeated run writes nothing.
/// </summary>
public static class SalaryGuarantee
{
    public static readonly AuditActor JobActor = AuditActor.System("salary-guarantee");

    /// <summary>Staff mark one contract's salary paid.</summary>
    public sealed record PaySalary(int ContractId, DateOnly PaidOn) : IRequest<Contract>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class PaySalaryHandler(IContractStore contracts, CurrentUser user, Microsoft.Extensions.Localization.IStringLocalizerFactory localizers)
        : IRequestHandler<PaySalary, Contract>
    {
        public async Task<Contract> Handle(PaySalary command, CancellationToken cancellationToken)
        {
            var contract = await contracts.GetAsync(command.ContractId, cancellationToken);
            if (contract is null || !user.CanSee(contract.Country)) throw new NotFoundException($"No contract {command.ContractId}.");
            var texts = Localization.PageResources.For(typeof(Pages.Contracts.DetailsModel), localizers);
            if (!contract.CanPaySalary)
                throw RequestValidationException.For<PaySalary>("", texts["Only a confirmed contract whose salary is not paid yet can be marked paid."]);
            var outcome = await contracts.PaySalaryAsync(contract.Id, command.PaidOn, new AuditActor(user.Email), cancellationToken);
            return outcome.Updated ? outcome.Current! : throw RequestValidationException.For<PaySalary>("", texts["Only a confirmed contract whose salary is not paid yet can be marked paid."]);
        }
    }

    /// <summary>The job's request: pay every salary due on <see cref="Today"/>.</summary>
    public sealed record PayDueSalaries(DateOnly Today) : IRequest<int>;

    public sealed class PayDueSalariesHandler(IContractStore contracts) : IRequestHandler<PayDueSalaries, int>
    {
        public async Task<int> Handle(PayDueSalaries command, CancellationToken cancellationToken)
        {
            var paid = 0;
            for (var after = 0; ;)
            {
                var due = await contracts.SalaryDueAsync(command.Today, after, 200, cancellationToken);
                if (due.Count == 0) return paid;
                foreach (var contract in due)
                    // Paid on the day the job runs; a contract paid meanwhile (by staff, or an earlier run) is a conflict and stays as it is.
                    if ((await contracts.PaySalaryAsync(contract.Id, command.Today, JobActor, cancellationToken)).Updated) paid++;
                after = due[^1].Id;
            }
        }
    }

    /// <summary>The Hangfire side: it only sends the request.</summary>
    public sealed class Job(IMediator mediator, TimeProvider clock)
    {
        public const string RecurringJobId = "salary-guarantee";

        public Task<int> RunAsync(CancellationToken cancellationToken) =>
            mediator.Send(new PayDueSalaries(DateOnly.FromDateTime(clock.GetLocalNow().DateTime)), cancellationToken);
    }

    /// <summary>At start-up: opens the ledger of every unit not opened yet (the typed budgets' migration), then schedules the daily job.</summary>
    public sealed class Schedule(ILedgerStore ledger, IRecurringJobManager recurring, ILogger<Schedule> logger) : IHostedService
    {
        public static readonly AuditActor MigrationActor = AuditActor.System("ledger-opening");

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var opened = await ledger.OpenUnitsAsync(MigrationActor, cancellationToken);
            if (opened > 0) logger.LogWarning("Opened the budget ledger of {Count} production units", opened.ToString(CultureInfo.InvariantCulture));
            recurring.AddOrUpdate<Job>(Job.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Daily(7),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
