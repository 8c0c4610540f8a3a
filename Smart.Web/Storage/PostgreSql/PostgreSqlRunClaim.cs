using Dapper;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// A background run held by one execution across instances: a session advisory lock (<paramref name="lockClass"/>, the run's id) on a
/// connection of its own, released on dispose, or by the server when the holder's connection dies. Used by the re-evaluation and the
/// correction runs' stores, each with its own lock class.
/// </summary>
internal static class PostgreSqlRunClaim
{
    /// <summary>The claim, or null when another execution holds the run.</summary>
    public static async Task<IAsyncDisposable?> TryAsync(NpgsqlDataSource dataSource, int lockClass, int id, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select pg_try_advisory_lock(@lockClass, @id)", new { lockClass, id },
                    cancellationToken: cancellationToken)))
                return new Claim(connection, lockClass, id);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// The SQL condition "no execution holds this run" on a row of <paramref name="table"/> (its <c>id</c>), with the lock class as the
    /// parameter <c>@LockClass</c>: a session advisory lock of two keys shows in <c>pg_locks</c> as classid, objid and objsubid 2.
    /// </summary>
    public static string Unclaimed(string table) =>
        $"""
        not exists (
            select 1 from pg_locks l
            where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
              and l.classid = @LockClass::oid and l.objid = {table}.id::oid and l.objsubid = 2)
        """;

    private sealed class Claim(NpgsqlConnection connection, int lockClass, int id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await connection.ExecuteAsync("select pg_advisory_unlock(@lockClass, @id)", new { lockClass, id });
            }
            catch (NpgsqlException)
            {
                // The connection is gone, and with it the lock.
            }
            await connection.DisposeAsync();
        }
    }
}
