using Npgsql;
using Smart.Web.Hosting;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// Brings a rule-set publication made on another instance into this one's rule book. Each instance holds the book in memory
/// (<see cref="RuleBookInForce"/>); the instance that publishes reloads its own at once, the others hear it here. PostgreSQL's
/// LISTEN/NOTIFY rather than a poll: the publishing transaction sends the notification, delivered only when it commits (a publication
/// rolled back reloads nobody), within milliseconds, and nothing is queried while nothing is published. A notification can be missed
/// while the listening connection is down, so after each (re)connection the book is reloaded once, whatever was published meanwhile.
/// </summary>
public sealed class RuleSetPublications(NpgsqlDataSource dataSource, IServiceProvider services, ILogger<RuleSetPublications> logger) : BackgroundService
{
    public const string Channel = "rule_set_published";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rules = services.GetRequiredService<RuleBookInForce>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    logger.LogInformation("Rule set {Key} published on another instance: reloading the rule book", e.Payload);
                    rules.Reload();
                };
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection)) await listen.ExecuteNonQueryAsync(stoppingToken);
                // Whatever was published before this connection listened (since start-up, or while it was down) is read now.
                rules.Reload();
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Listening for rule-set publications failed: trying again in 5 seconds");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
