using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>A plain column beside a record's document: what the database filters, sorts, joins or constrains on.</summary>
/// <param name="OnInsertOnly">Written when the record is added, never by its edits (a figure another store maintains).</param>
internal sealed record RecordColumn<T>(string Name, NpgsqlDbType Type, Func<T, object?> Value, bool OnInsertOnly = false);

/// <summary>
/// The writes and reads of a PostgreSQL record table (id, country, version, document, the store's columns), what
/// <see cref="AuditedCollection{TEntity, TDocument}"/> is to LiteDB: each insert or update and its audit entry commit in one
/// transaction; an update locks the row (<c>for update</c>) and writes only if the stored version is the one the editor read.
/// </summary>
internal sealed class PostgreSqlRecords<T>(
    NpgsqlDataSource dataSource,
    TimeProvider clock,
    string table,
    string entityType,
    IReadOnlyList<RecordColumn<T>> columns,
    Func<T, int> idOf,
    Func<T, int> versionOf,
    Func<T, string> countryOf,
    Func<T, int, int, T> stamp)
    where T : class
{
    /// <summary>The unique indexes a store declares, by name, with the field whose duplicate they refuse.</summary>
    public IReadOnlyDictionary<string, string> UniqueFields { get; init; } = new Dictionary<string, string>();

    /// <summary>Where counts are kept until the table changes (none: every search counts).</summary>
    public PostgreSqlCounts? Counts { get; init; }

    /// <summary>The extra columns a read selects after <c>id, version, document</c> (a unit's available budget).</summary>
    public string ExtraSelect { get; init; } = "";

    /// <summary>Makes the entity of a read row: its document with the id and version of the row and any <see cref="ExtraSelect"/> column.</summary>
    public Func<T, NpgsqlDataReader, T>? Complete { get; init; }

    /// <summary>What a new record is once stored (figures a store keeps elsewhere), before its create entry is written.</summary>
    public Func<T, T> AsStored { get; init; } = entity => entity;

    /// <summary>Applied inside an update's transaction to the stored record and the edited one: keeps what the editor must not change.</summary>
    public Func<T, T, T>? Keep { get; init; }

    /// <summary>
    /// Run inside an insert's transaction with the records as given (ids and versions set): what belongs to them elsewhere (a unit's
    /// opening ledger entry) commits or rolls back with them.
    /// </summary>
    public Func<NpgsqlConnection, NpgsqlTransaction, IReadOnlyList<T>, AuditActor, CancellationToken, Task>? AlongsideInsert { get; set; }

    private string Select => $"select id, version, document::text{ExtraSelect} from {table}";

    public async Task<T?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await ReadAsync(connection, null, $"{Select} where id = @id", [new("id", id)], cancellationToken)).FirstOrDefault();
    }

    public async Task<IReadOnlyDictionary<int, T>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return new Dictionary<int, T>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await ReadAsync(connection, null, $"{Select} where id = any(@ids)", [new("ids", ids.Distinct().ToArray())], cancellationToken);
        return found.ToDictionary(idOf);
    }

    /// <summary>The first record where <paramref name="condition"/> holds (parameters <c>@country</c>, <c>@value</c>).</summary>
    public async Task<T?> FindAsync(string condition, string country, string value, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await ReadAsync(connection, null, $"{Select} where {condition} order by id limit 1",
            [new("country", CountryCode.Normalise(country)), new("value", value)], cancellationToken);
        return found.FirstOrDefault();
    }

    /// <summary>Stores new records with version 1, each with its create entry, all in one transaction; returns them as stored.</summary>
    public async Task<List<T>> InsertAsync(IEnumerable<T> entities, AuditActor actor, CancellationToken cancellationToken)
    {
        var given = entities.ToList();
        if (given.Count == 0) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Ids are drawn from the table's identity first so one COPY writes every row and the audit entries can name them.
        var ids = new List<int>(given.Count);
        await using (var next = new NpgsqlCommand($"select nextval(pg_get_serial_sequence('{table}', 'id'))::integer from generate_series(1, @count)", connection, transaction))
        {
            next.Parameters.AddWithValue("count", given.Count);
            await using var reader = await next.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) ids.Add(reader.GetInt32(0));
        }
        var stamped = given.Select((entity, i) => stamp(entity, ids[i], 1)).ToList();
        var stored = stamped.Select(AsStored).ToList();
        await Unique(async () =>
        {
            var names = string.Join(", ", columns.Select(c => c.Name));
            await using (var copy = await connection.BeginBinaryImportAsync($"copy {table} (id, country, version, document, {names}) from stdin (format binary)", cancellationToken))
            {
                foreach (var record in stored)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(idOf(record), NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(countryOf(record), NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(versionOf(record), NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(PostgreSqlJson.Write(record), NpgsqlDbType.Jsonb, cancellationToken);
                    foreach (var column in columns)
                    {
                        if (column.Value(record) is { } value) await copy.WriteAsync(value, column.Type, cancellationToken);
                        else await copy.WriteNullAsync(cancellationToken);
                    }
                }
                await copy.CompleteAsync(cancellationToken);
            }
        });
        await PostgreSqlAuditLog.WriteManyAsync(connection, stored.Select(record => Entry(now, actor, record, AuditAction.Create, AuditChanges.Between(null, record))), cancellationToken);
        if (AlongsideInsert is { } alongside) await alongside(connection, transaction, stamped, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Counts?.Changed(table);
        return stored;
    }

    /// <summary>
    /// Writes records as another store kept them (the move from LiteDB, Storage/MoveUp): their own ids and versions, no audit entries (the
    /// audit log is copied as it is), in the caller's transaction. <paramref name="overrides"/> replaces a column's value (a unit's budget).
    /// </summary>
    public async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<T> records, IReadOnlyDictionary<string, Func<T, object?>>? overrides,
        CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        await using var copy = await connection.BeginBinaryImportAsync($"copy {table} (id, country, version, document, {names}) from stdin (format binary)", cancellationToken);
        foreach (var record in records)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(idOf(record), NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(CountryCode.Normalise(countryOf(record)), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(versionOf(record), NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(PostgreSqlJson.Write(record), NpgsqlDbType.Jsonb, cancellationToken);
            foreach (var column in columns)
            {
                var value = overrides is not null && overrides.TryGetValue(column.Name, out var replaced) ? replaced(record) : column.Value(record);
                if (value is not null) await copy.WriteAsync(value, column.Type, cancellationToken);
                else await copy.WriteNullAsync(cancellationToken);
            }
        }
        await copy.CompleteAsync(cancellationToken);
    }


    public async Task<UpdateOutcome<T>> UpdateAsync(T entity, int expectedVersion, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row lock holds off a second editor between this check and the write; the second then sees the new version.
        var found = await ReadAsync(connection, transaction, $"{Select} where id = @id for update", [new("id", idOf(entity))], cancellationToken);
        if (found.FirstOrDefault() is not { } stored) return UpdateOutcome<T>.Missing;
        var storedVersion = versionOf(stored);
        if (storedVersion != expectedVersion) return UpdateOutcome<T>.Conflict(stored);
        var updated = stamp(Keep is null ? entity : Keep(stored, entity), idOf(stored), storedVersion + 1);
        var changes = AuditChanges.Between(stored, updated);
        // Saving an unchanged form is not a change: no new version, no audit entry.
        if (changes.Count == 0) return UpdateOutcome<T>.Saved(stored);
        var written = columns.Where(c => !c.OnInsertOnly).ToList();
        await using (var update = new NpgsqlCommand(
            $"update {table} set version = @version, document = @document, {string.Join(", ", written.Select((c, i) => $"{c.Name} = @c{i}"))} where id = @id",
            connection, transaction))
        {
            update.Parameters.AddWithValue("id", idOf(updated));
            update.Parameters.AddWithValue("version", versionOf(updated));
            update.Parameters.AddWithValue("document", NpgsqlDbType.Jsonb, PostgreSqlJson.Write(updated));
            for (var i = 0; i < written.Count; i++)
                update.Parameters.Add(new NpgsqlParameter($"c{i}", written[i].Type) { Value = written[i].Value(updated) ?? DBNull.Value });
            await Unique(() => update.ExecuteNonQueryAsync(cancellationToken));
        }
        await PostgreSqlAuditLog.WriteAsync(connection, transaction, Entry(clock.GetUtcNow().UtcDateTime, actor, updated, AuditAction.Update, changes), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Counts?.Changed(table);
        return UpdateOutcome<T>.Saved(updated);
    }

    /// <summary>One page of the records <paramref name="where"/> selects in <paramref name="orderBy"/> (ties by id), and how many it selects.</summary>
    public async Task<SearchResult<T>> SearchAsync(RecordFilter where, string orderBy, bool descending, int skip, int take, CancellationToken cancellationToken)
    {
        if (where.SeesNothing) return SearchResult<T>.Empty;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var countSql = $"select count(*)::integer from {table} {where.Sql}";
        async Task<int> Count()
        {
            await using var count = new NpgsqlCommand(countSql, connection);
            count.Parameters.AddRange(where.Parameters());
            return (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        var total = Counts is { } counts ? await counts.CountAsync(table, PostgreSqlCounts.Key(countSql, where.Parameters()), Count) : await Count();
        // Take 0 asks only for the count.
        if (take <= 0 || total == 0) return new([], total);
        var rows = await ReadAsync(connection, null, $"{Select} {where.Sql} {Order(orderBy, descending)} offset @skip limit @take",
            [.. where.Parameters(), new("skip", Math.Max(0, skip)), new("take", Math.Clamp(take, 0, 1000))], cancellationToken);
        return new(rows, total);
    }

    /// <summary>Every record <paramref name="where"/> selects, a batch at a time, each batch its own short read.</summary>
    public async IAsyncEnumerable<T> ExportAsync(RecordFilter where, string orderBy, bool descending, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int batch = 500;
        if (where.SeesNothing) yield break;
        for (var skip = 0; ; skip += batch)
        {
            List<T> rows;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
                rows = await ReadAsync(connection, null, $"{Select} {where.Sql} {Order(orderBy, descending)} offset @skip limit @take",
                    [.. where.Parameters(), new("skip", skip), new("take", batch)], cancellationToken);
            foreach (var row in rows) yield return row;
            if (rows.Count < batch) yield break;
        }
    }

    // Nulls sort as LiteDB sorts them: before any value.
    private static string Order(string orderBy, bool descending) =>
        "order by " + string.Join(", ", orderBy.Split(',', StringSplitOptions.TrimEntries).Append("id")
            .Select(key => descending ? $"{key} desc nulls last" : $"{key} asc nulls first"));

    private async Task<List<T>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, IEnumerable<NpgsqlParameter> parameters,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = stamp(PostgreSqlJson.Read<T>(reader.GetString(2)), reader.GetInt32(0), reader.GetInt32(1));
            found.Add(Complete is null ? entity : Complete(entity, reader));
        }
        return found;
    }

    /// <summary>A unique index refusing a write becomes the domain's own refusal, naming the field.</summary>
    private async Task Unique(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is { } index && UniqueFields.TryGetValue(index, out var field))
        {
            throw new DuplicateNumberException(field);
        }
    }

    private AuditEntry Entry(DateTime now, AuditActor actor, T entity, AuditAction action, IReadOnlyList<AuditChange> changes) =>
        new(0, now, actor.Name, entityType, idOf(entity).ToString(CultureInfo.InvariantCulture), countryOf(entity), action, changes);
}

/// <summary>
/// The where clause of a directory search: the scope's countries first, so no search can skip them, then the store's filters, each
/// with its parameters. The typed words become one GIN containment on the row's word prefixes.
/// </summary>
internal sealed class RecordFilter
{
    /// <summary>The longest prefix stored in <c>search_prefixes</c>; a longer typed word is checked against the whole words too.</summary>
    public const int PrefixLength = 24;

    private readonly List<string> conditions = [];
    private readonly List<(string Name, object Value, NpgsqlDbType? Type)> parameters = [];

    public RecordFilter(CountryScope scope)
    {
        SeesNothing = scope.Countries is { Count: 0 };
        if (scope.Countries is { } countries) Add("country = any({0})", countries.ToArray());
    }

    public bool SeesNothing { get; }

    public string Sql => conditions.Count == 0 ? "" : "where " + string.Join(" and ", conditions);

    /// <summary>Adds a condition whose <c>{0}</c> is <paramref name="value"/>'s parameter.</summary>
    public RecordFilter Add(string condition, object value, NpgsqlDbType? type = null)
    {
        var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add((name, value, type));
        conditions.Add(string.Format(CultureInfo.InvariantCulture, condition, "@" + name));
        return this;
    }

    /// <summary>Each typed word must start some word of the row (<see cref="SearchWords.OfQuery"/>).</summary>
    public RecordFilter Words(string? search)
    {
        var words = SearchWords.OfQuery(search);
        if (words.Count == 0) return this;
        Add("search_prefixes @> {0}", words.Select(w => w.Length > PrefixLength ? w[..PrefixLength] : w).Distinct().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        foreach (var longer in words.Where(w => w.Length > PrefixLength))
            Add("exists (select 1 from unnest(search_words) word where starts_with(word, {0}))", longer);
        return this;
    }

    public NpgsqlParameter[] Parameters() =>
        parameters.Select(p => p.Type is { } type ? new NpgsqlParameter(p.Name, type) { Value = p.Value } : new NpgsqlParameter(p.Name, p.Value)).ToArray();

    /// <summary>The prefixes of a row's search words that <see cref="Words"/> looks up.</summary>
    public static string[] Prefixes(IEnumerable<string> words) =>
        words.SelectMany(word => Enumerable.Range(1, Math.Min(word.Length, PrefixLength)).Select(length => word[..length])).Distinct().ToArray();
}
