using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// The exact row counts that lists and the home page show ("3,512 invoices", a country's members), kept per instance until the table
/// changes. On the full year a count over a country's paid invoices reads 175,000 index entries (30 ms) and the staff home page asks
/// 24 directory counts per view: the answer only changes when a row does, which is a few times a minute at most.
/// A count is forgotten when its table changes: by any write on any instance through the table's statement trigger (migration 0005,
/// <c>NOTIFY table_changed</c>, delivered when the writing transaction commits, heard by <see cref="InstanceNotifications"/>), and at
/// once by this instance's own stores after they commit, so whoever saved sees their change on the page they are sent to without
/// waiting for the notification. Nothing is kept while this instance is not listening, since a notification could then be missed.
/// </summary>
public sealed class PostgreSqlCounts
{
    /// <summary>Past this many counts kept (each distinct search is one), all are dropped rather than grow without bound.</summary>
    private const int MostKept = 10_000;

    private readonly ConcurrentDictionary<(string Table, string Query), int> kept = new();
    private long generation;
    private volatile bool listening;

    /// <summary>How many rows <paramref name="query"/> (its SQL and parameters) selects from <paramref name="table"/>.</summary>
    internal async Task<int> CountAsync(string table, string query, Func<Task<int>> count)
    {
        if (!listening) return await count();
        if (kept.TryGetValue((table, query), out var known)) return known;
        var readAt = Interlocked.Read(ref generation);
        var counted = await count();
        if (kept.Count >= MostKept) kept.Clear();
        kept[(table, query)] = counted;
        // A change committed while this count ran may not be in it: keep nothing counted before the change.
        if (Interlocked.Read(ref generation) != readAt) kept.TryRemove((table, query), out _);
        return counted;
    }

    /// <summary>Whether a count of <paramref name="table"/> is kept now.</summary>
    public bool Keeps(string table) => listening && kept.Keys.Any(key => key.Table == table);

    /// <summary>Forgets the counts of <paramref name="table"/> (every table when null).</summary>
    internal void Changed(string? table)
    {
        Interlocked.Increment(ref generation);
        if (table is null) kept.Clear();
        else foreach (var key in kept.Keys) if (key.Table == table) kept.TryRemove(key, out _);
    }

    internal void Listening(bool now)
    {
        listening = now;
        Changed(null);
    }

    /// <summary>The key of a query: its SQL and each parameter's name and value (arrays element by element).</summary>
    internal static string Key(string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        var key = new StringBuilder(sql);
        foreach (var (name, value) in parameters)
        {
            key.Append('\u001f').Append(name).Append('=');
            if (value is System.Collections.IEnumerable values and not string)
                foreach (var item in values) key.Append(Convert.ToString(item, CultureInfo.InvariantCulture)).Append('\u001e');
            else key.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        return key.ToString();
    }

    internal static string Key(string sql, IEnumerable<NpgsqlParameter> parameters) => Key(sql, parameters.Select(p => (p.ParameterName, p.Value)));
}
