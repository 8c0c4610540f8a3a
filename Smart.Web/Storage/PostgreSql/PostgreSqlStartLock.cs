using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// Instances starting together on one database start one after the other: each holds a session advisory lock from before the first
/// hosted service starts until the last has started, so the demo seeds (which fill only an empty store) see the first instance's
/// records instead of seeding twice. LiteDB needs none: its lock file already refuses a second process.
/// </summary>
public sealed class PostgreSqlStartLock(NpgsqlDataSource database, ILogger<PostgreSqlStartLock> logger) : IHostedLifecycleService, IAsyncDisposable
{
    // Any constant shared by every instance, distinct from the migrations' lock.
    private const long StartLock = 0x5354_4152_5431; // "START1"

    private NpgsqlConnection? holder;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        holder = await database.OpenConnectionAsync(cancellationToken);
        await using var take = new NpgsqlCommand("select pg_advisory_lock(@key)", holder) { Parameters = { new("key", StartLock) } };
        await take.ExecuteNonQueryAsync(cancellationToken);
        logger.LogDebug("Holding the start lock");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => ReleaseAsync().AsTask();

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A start that failed halfway never reaches <see cref="StartedAsync"/>: closing the session releases the lock.</summary>
    public ValueTask DisposeAsync() => ReleaseAsync();

    private async ValueTask ReleaseAsync()
    {
        if (Interlocked.Exchange(ref holder, null) is not { } connection) return;
        // Closing the session releases its advisory locks; the pool would keep it open, so the lock is given back first.
        await using (connection)
        await using (var release = new NpgsqlCommand("select pg_advisory_unlock(@key)", connection) { Parameters = { new("key", StartLock) } })
            await release.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
