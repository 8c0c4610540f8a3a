using LiteDB;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Smart.Web.Budget;
using Smart.Web.EInvoicing;
using Smart.Web.Hosting;
using Smart.Web.Reevaluation;
using Smart.Web.Reminders;
using Smart.Web.Simulations;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Demo;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Storage;

public static class StorageServices
{
    public const string DatabaseFileName = "smart.db";

    /// <summary>
    /// The stores <c>Smart:Storage</c> names: <c>LiteDb</c> (the default, one file in the data directory, one instance) or <c>PostgreSql</c>
    /// (the server mode, on <c>ConnectionStrings:Smart</c>).
    /// </summary>
    public static IServiceCollection AddSmartStorage(this IServiceCollection services, IConfiguration configuration)
    {
        if (ServerConnectionString(configuration) is { } connectionString) services.AddPostgreSqlStorage(connectionString);
        else services.AddLiteDbStorage();
        // The demo seeds write through the stores' interfaces, so both modes run them; hosted services start in the order they are added:
        // the directory's demo data before the seeds that need its units.
        services.AddHostedService<DemoSeed>();
        services.AddHostedService<DirectoryDemoSeed>();
        return services;
    }

    /// <summary><c>ConnectionStrings:Smart</c> when <c>Smart:Storage</c> is <c>PostgreSql</c>; null for LiteDB; a clear error for anything else.</summary>
    public static string? ServerConnectionString(IConfiguration configuration)
    {
        var storage = configuration["Smart:Storage"] ?? "LiteDb";
        if (storage.Equals("LiteDb", StringComparison.OrdinalIgnoreCase)) return null;
        if (!storage.Equals("PostgreSql", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Smart:Storage is '{storage}': it must be LiteDb (the default) or PostgreSql.");
        var connectionString = configuration.GetConnectionString("Smart");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "Smart:Storage is PostgreSql but ConnectionStrings:Smart is empty: give it, e.g. Host=127.0.0.1;Port=5432;Username=smart;Database=smart.");
        return connectionString;
    }

    /// <summary>
    /// Every store on the one LiteDB file of the data directory, registered here and nowhere else: a second implementation (PostgreSQL)
    /// is one more method like this one. The stores only persist and query; the rules they apply inside their transactions are the
    /// entities' own (<see cref="Invoice.CanBeIssued"/>, <see cref="Contract.CanPaySalary"/>, <see cref="ExpenseClaim.FitsBudget"/>...).
    /// </summary>
    public static IServiceCollection AddLiteDbStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Direct mode, one owner per data directory (LiteDbFile): engine calls one at a time (LiteDB 5's page cache races), a second instance
        // refused. The container disposes the database first (created last), then the owner, which releases the file.
        services.AddSingleton(sp => new LiteDbFile(sp.GetRequiredService<SmartDirectories>().Data, logger: sp.GetRequiredService<ILogger<LiteDbFile>>()));
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
        services.AddSingleton<Corrections.ICorrectionStore, Corrections.LiteDbCorrectionStore>();
        services.AddSingleton<IOutboxStore, LiteDbOutboxStore>();
        services.AddSingleton<BankStatements.IBankStatementStore, BankStatements.LiteDbBankStatementStore>();
        services.AddHealthChecks().AddCheck<StorageHealth.LiteDbCheck>(StorageHealth.Database);
        services.AddHostedService<RowsWarmUp>();
        return services;
    }
}
