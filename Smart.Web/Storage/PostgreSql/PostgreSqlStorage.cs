using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

public static class PostgreSqlStorage
{
    /// <summary>
    /// Every store on one PostgreSQL database (<c>Smart:Storage</c> = <c>PostgreSql</c>, <c>ConnectionStrings:Smart</c>): the server mode,
    /// for several web instances on one database. The schema is migrated at start-up, before the demo seeds run.
    /// </summary>
    public static IServiceCollection AddPostgreSqlStorage(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<SchemaMigrations>();
        // Hosted services start in the order they are added: the schema before anything that reads or writes it.
        services.AddHostedService<SchemaMigrations.AtStartUp>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgreSqlAuditLog>();
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<PostgreSqlAuditLog>());
        // directory
        services.AddSingleton<IMemberStore, PostgreSqlMemberStore>();
        services.AddSingleton<IProductionUnitStore, PostgreSqlProductionUnitStore>();
        services.AddSingleton<IClientStore, PostgreSqlClientStore>();

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

        return services;
    }
}
