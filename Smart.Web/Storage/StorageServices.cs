using LiteDB;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Smart.Web.Budget;
using Smart.Web.Hosting;
using Smart.Web.Storage.Demo;

namespace Smart.Web.Storage;

public static class StorageServices
{
    public const string DatabaseFileName = "smart.db";

    /// <summary>
    /// Every store on the one LiteDB file of the data directory, registered here and nowhere else: a second implementation (PostgreSQL)
    /// is one more method like this one. The stores only persist and query; the rules they apply inside their transactions are the
    /// entities' own (<see cref="Invoice.CanBeIssued"/>, <see cref="Contract.CanPaySalary"/>, <see cref="ExpenseClaim.FitsBudget"/>...).
    /// </summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Direct mode, one owner per data directory (LiteDbFile): reads side by side, writes serialised by LiteDB, a second instance
        // refused. The container disposes the database first (created last), then the owner, which releases the file.
        services.AddSingleton(sp => new LiteDbFile(sp.GetRequiredService<SmartDirectories>().Data));
        services.AddSingleton(sp => sp.GetRequiredService<LiteDbFile>().Database);
        services.AddSingleton<LiteDbAuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<LiteDbAuditLog>());
        // One ledger for the stores whose writes move a unit's budget (invoices, contracts, expense claims) and for the ledger pages.
        services.AddSingleton<LiteDbLedgerStore>();
        services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<LiteDbLedgerStore>());
        services.AddSingleton<IAccountStore, LiteDbAccountStore>();
        services.AddSingleton<IApiKeyStore, LiteDbApiKeyStore>();
        services.AddSingleton<IMemberStore, LiteDbMemberStore>();
        services.AddSingleton<IProductionUnitStore, LiteDbProductionUnitStore>();
        services.AddSingleton<IClientStore, LiteDbClientStore>();
        services.AddSingleton<IInvoiceStore, LiteDbInvoiceStore>();
        services.AddSingleton<IContractStore, LiteDbContractStore>();
        services.AddSingleton<IExpenseClaimStore, LiteDbExpenseClaimStore>();
        services.AddSingleton<IReminderStore, LiteDbReminderStore>();
        services.AddSingleton<IReevaluationStore, LiteDbReevaluationStore>();
        services.AddSingleton<IRuleSetStore, LiteDbRuleSetStore>();
        services.AddSingleton<ISimulationStore, LiteDbSimulationStore>();
        services.AddSingleton<IOutboxStore, LiteDbOutboxStore>();
        services.AddSingleton<BankStatements.IBankStatementStore, BankStatements.LiteDbBankStatementStore>();
        // Hosted services start in the order they are added: the directory's demo data before the seeds that need its units.
        services.AddHostedService<DemoSeed>();
        services.AddHostedService<DirectoryDemoSeed>();
        return services;
    }
}
