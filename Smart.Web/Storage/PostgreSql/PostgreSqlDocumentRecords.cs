using System.Globalization;
using Dapper;
using Npgsql;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// How one record table maps its entity: the plain columns beside <c>id, country, version, document</c> (named as the SQL parameters
/// <see cref="Columns"/> gives them), the document and the evaluation (a separate jsonb column: the entities keep it read-only).
/// </summary>
internal sealed record DocumentTable<T>(
    string Name,
    string EntityType,
    Func<T, int> Id,
    Func<T, int> Version,
    Func<T, string> Country,
    Func<T, int, int, string, T> Stamp,
    IReadOnlyList<string> Columns,
    Func<T, object> Values,
    Func<T, (string Document, string? Evaluation)> Write,
    Func<string, string?, T> Read);

/// <summary>
/// The writes of a PostgreSQL document table (the contract and expense-claim stores; the directory's records use PostgreSqlRecords, which
/// has no update by a change computed under the lock, no batch update, no ledger hook and no evaluation column): each insert or update
/// and its audit entry commit in one transaction, and an update decides on the row read under its lock (<c>select … for update</c>), so two instances' edits of one
/// record queue and the second sees the first's version.
/// </summary>
internal sealed class PostgreSqlDocumentRecords<T>(NpgsqlDataSource dataSource, TimeProvider clock, DocumentTable<T> table) where T : class
{
    /// <summary>Run inside each write's transaction after the record is written, with the record before (null when created) and after.</summary>
    public Func<NpgsqlConnection, NpgsqlTransaction, T?, T, AuditActor, Task>? Alongside { get; init; }

    public string Select => $"select id, version, document::text as document, evaluation::text as evaluation from {table.Name}";

    public async Task<IReadOnlyList<T>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object? parameters, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(int Id, int Version, string Document, string? Evaluation)>(
            new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => table.Read(row.Document, row.Evaluation) is var entity ? table.Stamp(entity, row.Id, row.Version, table.Country(entity)) : null!).ToList();
    }

    public async Task<IReadOnlyList<T>> ReadAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, sql, parameters, cancellationToken);
    }

    public async Task<T?> GetAsync(int id, CancellationToken cancellationToken) =>
        (await ReadAsync($"{Select} where id = @id", new { id }, cancellationToken)).SingleOrDefault();

    /// <summary>Stores a new record with version 1 and its create entry; <paramref name="alongside"/> writes what belongs to it (a receipt) in the same transaction.</summary>
    public async Task<T> InsertAsync(T entity, AuditActor actor, Func<NpgsqlConnection, NpgsqlTransaction, T, Task>? alongside, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select nextval(pg_get_serial_sequence('{table.Name}', 'id'))::integer",
            transaction: transaction, cancellationToken: cancellationToken));
        var stored = table.Stamp(entity, id, 1, CountryCode.Normalise(table.Country(entity)));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            insert into {table.Name} (id, country, version, document, evaluation{string.Concat(table.Columns.Select(c => ", " + c))})
            values (@id, @country, @version, @document::jsonb, @evaluation::jsonb{string.Concat(table.Columns.Select(c => ", @" + c))})
            """, Parameters(stored), transaction, cancellationToken: cancellationToken));
        await PostgreSqlAuditLog.WriteAsync(connection, transaction, Entry(stored, actor, AuditAction.Create, AuditChanges.Between(null, stored)), cancellationToken);
        if (alongside is not null) await alongside(connection, transaction, stored);
        if (Alongside is not null) await Alongside(connection, transaction, null, stored, actor);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// Writes records as another store kept them (the move from LiteDB, Storage/MoveUp): their own ids and versions, no audit entries and no
    /// ledger entries (both are copied as they are), in the caller's transaction.
    /// </summary>
    public async Task CopyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<T> records, CancellationToken cancellationToken)
    {
        // One statement a batch: the rows as a JSON array whose keys are the column names, read with the table's own row type.
        var rows = new System.Text.Json.Nodes.JsonArray();
        foreach (var record in records)
        {
            var stored = table.Stamp(record, table.Id(record), table.Version(record), CountryCode.Normalise(table.Country(record)));
            var (document, evaluation) = table.Write(stored);
            var row = new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = table.Id(stored), ["country"] = table.Country(stored), ["version"] = table.Version(stored),
                ["document"] = System.Text.Json.Nodes.JsonNode.Parse(document), ["evaluation"] = evaluation is null ? null : System.Text.Json.Nodes.JsonNode.Parse(evaluation),
            };
            var values = table.Values(stored);
            foreach (var column in values.GetType().GetProperties()) row[column.Name] = System.Text.Json.JsonSerializer.SerializeToNode(column.GetValue(values));
            rows.Add(row);
        }
        var names = "id, country, version, document, evaluation" + string.Concat(table.Columns.Select(c => ", " + c));
        await connection.ExecuteAsync(new CommandDefinition(
            $"insert into {table.Name} ({names}) select {names} from jsonb_populate_recordset(null::{table.Name}, @rows::jsonb)",
            new { rows = rows.ToJsonString() }, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
    }

    /// <summary>Replaces the record if its stored version is <paramref name="expectedVersion"/>; an unchanged form writes nothing (no new version, no entry).</summary>
    public Task<UpdateOutcome<T>> UpdateAsync(T entity, int expectedVersion, AuditActor actor, CancellationToken cancellationToken) =>
        WriteAsync(table.Id(entity), actor, stored => table.Version(stored) != expectedVersion ? null : entity, skipUnchanged: true, cancellationToken);

    /// <summary>Replaces the record by what <paramref name="change"/> makes of the locked stored one; a null change is a conflict.</summary>
    public Task<UpdateOutcome<T>> UpdateAsync(int id, AuditActor actor, Func<T, T?> change, CancellationToken cancellationToken) =>
        WriteAsync(id, actor, change, skipUnchanged: false, cancellationToken);

    /// <summary>Several changes in one transaction (a bulk job's batch), rows locked in id order, each audited with <paramref name="describe"/>'s changes.</summary>
    /// <param name="beforeCommit">Run last in the transaction with which updates were written (a re-evaluation run's progress); it may throw to roll back.</param>
    public async Task<IReadOnlyList<bool>> UpdateManyAsync(IReadOnlyList<(int Id, Func<T, T?> Change)> updates, AuditActor actor, Func<T, T, IReadOnlyList<AuditChange>> describe,
        CancellationToken cancellationToken, Func<NpgsqlConnection, NpgsqlTransaction, IReadOnlyList<bool>, Task>? beforeCommit = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = (await ReadAsync(connection, transaction, $"{Select} where id = any(@ids) order by id for update",
            new { ids = updates.Select(u => u.Id).Distinct().ToArray() }, cancellationToken)).ToDictionary(table.Id);
        var written = new List<bool>();
        foreach (var (id, change) in updates)
        {
            if (!stored.TryGetValue(id, out var before) || change(before) is not { } changed)
            {
                written.Add(false);
                continue;
            }
            var updated = await WriteRowAsync(connection, transaction, before, changed, cancellationToken);
            await PostgreSqlAuditLog.WriteAsync(connection, transaction, Entry(updated, actor, AuditAction.Update, describe(before, updated)), cancellationToken);
            if (Alongside is not null) await Alongside(connection, transaction, before, updated, actor);
            stored[id] = updated;
            written.Add(true);
        }
        if (beforeCommit is not null) await beforeCommit(connection, transaction, written);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    private async Task<UpdateOutcome<T>> WriteAsync(int id, AuditActor actor, Func<T, T?> change, bool skipUnchanged, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if ((await ReadAsync(connection, transaction, $"{Select} where id = @id for update", new { id }, cancellationToken)).SingleOrDefault() is not { } stored)
            return UpdateOutcome<T>.Missing;
        if (change(stored) is not { } changed) return UpdateOutcome<T>.Conflict(stored);
        var candidate = table.Stamp(changed, id, table.Version(stored) + 1, table.Country(stored));
        var changes = AuditChanges.Between(stored, candidate);
        if (skipUnchanged && changes.Count == 0) return UpdateOutcome<T>.Saved(stored);
        var updated = await WriteRowAsync(connection, transaction, stored, changed, cancellationToken);
        await PostgreSqlAuditLog.WriteAsync(connection, transaction, Entry(updated, actor, AuditAction.Update, changes), cancellationToken);
        if (Alongside is not null) await Alongside(connection, transaction, stored, updated, actor);
        await transaction.CommitAsync(cancellationToken);
        return UpdateOutcome<T>.Saved(updated);
    }

    /// <summary>Writes the next version over the one read under the lock; the country stays the stored one.</summary>
    private async Task<T> WriteRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, T stored, T changed, CancellationToken cancellationToken)
    {
        var updated = table.Stamp(changed, table.Id(stored), table.Version(stored) + 1, table.Country(stored));
        var parameters = Parameters(updated);
        parameters.Add("readVersion", table.Version(stored));
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            update {table.Name} set version = @version, document = @document::jsonb, evaluation = @evaluation::jsonb{string.Concat(table.Columns.Select(c => $", {c} = @{c}"))}
            where id = @id and version = @readVersion
            """, parameters, transaction, cancellationToken: cancellationToken));
        if (rows != 1) throw new InvalidOperationException($"{table.EntityType} {table.Id(stored)} changed under its row lock.");
        return updated;
    }

    private DynamicParameters Parameters(T entity)
    {
        var parameters = new DynamicParameters(table.Values(entity));
        var (document, evaluation) = table.Write(entity);
        parameters.Add("id", table.Id(entity));
        parameters.Add("country", table.Country(entity));
        parameters.Add("version", table.Version(entity));
        parameters.Add("document", document);
        parameters.Add("evaluation", evaluation);
        return parameters;
    }

    private AuditEntry Entry(T entity, AuditActor actor, AuditAction action, IReadOnlyList<AuditChange> changes) =>
        new(0, clock.GetUtcNow().UtcDateTime, actor.Name, table.EntityType, table.Id(entity).ToString(CultureInfo.InvariantCulture), table.Country(entity), action, changes);

    /// <summary>A search's page and total: <paramref name="where"/> on the indexed columns, ordered by <paramref name="orderBy"/>.</summary>
    public async Task<SearchResult<T>> SearchAsync(string where, DynamicParameters parameters, string orderBy, int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select count(*) from {table.Name} {where}", parameters, cancellationToken: cancellationToken));
        parameters.Add("skip", Math.Max(0, skip));
        parameters.Add("take", Math.Clamp(take, 0, 1000));
        var rows = await ReadAsync(connection, null, $"{Select} {where} {orderBy} offset @skip limit @take", parameters, cancellationToken);
        return new SearchResult<T>(rows, total);
    }

    /// <summary>Every matching record, a batch per read, each on its own short connection.</summary>
    public async IAsyncEnumerable<T> ExportAsync(string where, Func<DynamicParameters> parameters, string orderBy,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var skip = 0; ; skip += 500)
        {
            var page = await SearchAsync(where, parameters(), orderBy, skip, 500, cancellationToken);
            foreach (var row in page.Rows) yield return row;
            if (page.Rows.Count < 500) yield break;
        }
    }

    /// <summary>A list's filters, each a condition and its parameter, joined by <c>and</c>; scoped to the visible countries.</summary>
    public sealed class Filter
    {
        private readonly List<string> conditions = ["true"];

        public DynamicParameters Parameters { get; } = new();

        public Filter(CountryScope scope)
        {
            if (scope.Countries is { } countries) Add("country = any(@scope)", "scope", countries.ToArray());
        }

        public Filter Add(string condition, string name, object? value)
        {
            conditions.Add(condition);
            Parameters.Add(name, value);
            return this;
        }

        /// <summary>The filters every document list has: its country, status, unit and a period of <paramref name="dateColumn"/>.</summary>
        public Filter Common(string? country, string? status, int? unitId, string dateColumn, DateOnly? from, DateOnly? to)
        {
            if (!string.IsNullOrWhiteSpace(country)) Add("country = @country", "country", CountryCode.Normalise(country));
            if (status is not null) Add("status = @status", "status", status);
            if (unitId is { } unit) Add("production_unit_id = @unit", "unit", unit);
            if (from is { } first) Add($"{dateColumn} >= @from::date", "from", first.ToDateTime(TimeOnly.MinValue));
            if (to is { } last) Add($"{dateColumn} <= @to::date", "to", last.ToDateTime(TimeOnly.MinValue));
            return this;
        }

        public string Where => "where " + string.Join(" and ", conditions);
    }

    /// <summary>A list's order: <paramref name="columns"/> then id, all one way, so a page is stable.</summary>
    public static string OrderBy(bool descending, params string[] columns) =>
        "order by " + string.Join(", ", columns.Append("id").Select(c => descending ? $"{c} desc" : $"{c} asc"));
}
