using LiteDB;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Smart.Web.Storage;

/// <summary>
/// <c>/health</c>: anonymous, for load balancers and monitoring. It says whether each check passed and nothing else: no exception text,
/// no connection string, no version, so an anonymous caller learns only that the intranet and its database are up.
/// </summary>
public static class StorageHealth
{
    public const string Path = "/health";
    public const string Database = "database";

    public static IEndpointConventionBuilder MapStorageHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path, new HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                context.Response.Headers.CacheControl = "no-store";
                return context.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                }));
            },
        }).AllowAnonymous();

    /// <summary>The LiteDB file is open and its header readable.</summary>
    public sealed class LiteDbCheck(LiteDatabase database) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                _ = database.UserVersion;
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception e) when (e is LiteException or ObjectDisposedException or IOException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The data file cannot be read.", e));
            }
        }
    }
}
