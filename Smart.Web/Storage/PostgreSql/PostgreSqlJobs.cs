using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// Hangfire on the server-mode database (its own <c>hangfire</c> schema, created and migrated by Hangfire.PostgreSql): queued jobs survive
/// a restart, any instance's workers take them, and a recurring job (the daily reminders) is run once across instances, as Hangfire's
/// distributed locks in the same database decide which instance's scheduler enqueues it.
/// </summary>
public static class PostgreSqlJobs
{
    public static JobStorage Storage(NpgsqlDataSource dataSource) =>
        new Hangfire.PostgreSql.PostgreSqlStorage(new DataSourceConnections(dataSource), new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true });

    /// <summary>Hangfire's connections from the app's data source: one pool and one connection string for the stores and the jobs.</summary>
    private sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}
