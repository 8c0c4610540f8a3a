using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Reminders;
using Smart.Web.Simulations;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Storage.PostgreSql;

public static class PostgreSqlStorage
{
    /// <summary>
    /// Every store on one PostgreSQL database (<c>Smart:Storage</c> = <c>PostgreSql</c>, <c>ConnectionStrings:Smart</c>): the server mode,
    /// for several web instances on one database. The schema is migrated at start-up, before the demo seeds run.
    /// </summary>
    public static IServiceCollection AddPostgreSqlStorage(this IServiceCollection services, string connectionString)
    {
        // The schema is migrated when the data source is first resolved, before any store can use it: the rule book is loaded before the
        // hosted services start (Program: LoadRuleBook), so a migration run as one of them would come too late.
        services.AddSingleton(sp =>
        {
            var dataSource = NpgsqlDataSource.Create(connectionString);
            new SchemaMigrations(dataSource, sp.GetRequiredService<ILogger<SchemaMigrations>>()).ApplyAsync().GetAwaiter().GetResult();
            return dataSource;
        });
        services.AddSingleton<SchemaMigrations>();
        services.AddHostedService<PostgreSqlStartLock>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgreSqlAuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<PostgreSqlAuditLog>());
        // directory
        services.AddSingleton<IMemberStore, PostgreSqlMemberStore>();
        services.AddSingleton<IProductionUnitStore, PostgreSqlProductionUnitStore>();
        services.AddSingleton<IClientStore, PostgreSqlClientStore>();
        services.AddSingleton<IAccountStore, PostgreSqlAccountStore>();
        services.AddSingleton<PostgreSqlApiKeyStore>();
        services.AddSingleton<IApiKeyStore>(sp => sp.GetRequiredService<PostgreSqlApiKeyStore>());
        services.AddSingleton<IRuleSetStore, PostgreSqlRuleSetStore>();
        services.AddSingleton<PostgreSqlCounts>();
        services.AddHostedService<InstanceNotifications>();
        services.AddSingleton<BankStatements.IBankStatementStore, BankStatements.PostgreSqlBankStatementStore>();
        // Server mode's hosting: one key ring, one job queue and a health check for every instance on the database.
        services.AddSingleton<Microsoft.AspNetCore.DataProtection.Repositories.IXmlRepository, PostgreSqlXmlRepository>();
        services.AddSingleton<Hangfire.JobStorage>(sp => PostgreSqlJobs.Storage(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddHealthChecks().AddCheck<PostgreSqlHealthCheck>(StorageHealth.Database);

        // documents
        services.AddSingleton<Budget.PostgreSqlLedgerStore>();
        services.AddSingleton<Budget.ILedgerStore>(sp => sp.GetRequiredService<Budget.PostgreSqlLedgerStore>());
        // A unit stored opens its ledger in its insert's transaction.
        services.AddSingleton<IPostgreSqlUnitLedger>(sp => sp.GetRequiredService<Budget.PostgreSqlLedgerStore>());
        services.AddSingleton<IInvoiceStore, PostgreSqlInvoiceStore>();
        services.AddSingleton<IOutboxStore, PostgreSqlOutboxStore>();
        services.AddSingleton<IContractStore, PostgreSqlContractStore>();
        services.AddSingleton<IExpenseClaimStore, PostgreSqlExpenseClaimStore>();
        services.AddSingleton<IReminderStore, PostgreSqlReminderStore>();
        services.AddSingleton<IReevaluationStore, PostgreSqlReevaluationStore>();
        services.AddSingleton<ISimulationStore, PostgreSqlSimulationStore>();
        services.AddSingleton<Corrections.ICorrectionStore, Corrections.PostgreSqlCorrectionStore>();

        return services;
    }
}
