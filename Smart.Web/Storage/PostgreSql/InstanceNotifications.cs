using Npgsql;
using Smart.Web.Hosting;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// What another instance changed that this one keeps in memory: a rule-set publication (the rule book, <see cref="RuleBookInForce"/>),
/// an API key added or revoked (<see cref="PostgreSqlApiKeyStore"/>'s answers) and a table's rows (<see cref="PostgreSqlCounts"/>). PostgreSQL's LISTEN/NOTIFY rather than a poll: the
/// changing transaction sends the notification, delivered only when it commits (a change rolled back clears nothing), within
/// milliseconds, and nothing is queried while nothing changes. One connection per instance listens on every channel. A notification
/// can be missed while that connection is down, so the API keys and counts are not kept at all until it listens again, and after each
/// (re)connection the rule book is reloaded once, whatever was published meanwhile.
/// </summary>
public sealed class InstanceNotifications(NpgsqlDataSource dataSource, IServiceProvider services, PostgreSqlApiKeyStore apiKeys,
    PostgreSqlCounts counts, ILogger<InstanceNotifications> logger) : BackgroundService
{
    public const string RuleSetPublished = "rule_set_published";
    public const string ApiKeysChanged = "api_keys_changed";
    public const string TableChanged = "table_changed";

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
                    if (e.Channel == ApiKeysChanged)
                    {
                        apiKeys.Forget();
                        return;
                    }
                    if (e.Channel == TableChanged)
                    {
                        counts.Changed(e.Payload);
                        return;
                    }
                    logger.LogInformation("Rule set {Key} published on another instance: reloading the rule book", e.Payload);
                    rules.Reload();
                };
                await using (var listen = new NpgsqlCommand($"listen {RuleSetPublished}; listen {ApiKeysChanged}; listen {TableChanged}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Whatever changed before this connection listened (since start-up, or while it was down) is read now.
                apiKeys.Listening(true);
                counts.Listening(true);
                rules.Reload();
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                apiKeys.Listening(false);
                counts.Listening(false);
                logger.LogWarning(e, "Listening for other instances' changes failed: trying again in 5 seconds");
                try { await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
            finally
            {
                apiKeys.Listening(false);
                counts.Listening(false);
            }
        }
    }
}
