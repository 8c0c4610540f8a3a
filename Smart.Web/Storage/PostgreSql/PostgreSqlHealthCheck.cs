using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>Whether the database answers a query: what a load balancer needs to stop sending requests to an instance that lost it.</summary>
public sealed class PostgreSqlHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The reason goes to the log only (StorageHealth writes the status, never the description or the exception).
            return HealthCheckResult.Unhealthy("The database did not answer.", e);
        }
    }
}
