using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.BankStatements;

/// <summary>Statements in <c>bank_statements</c> and their lines in <c>statement_lines</c> (a movement's key unique by the table's constraint).</summary>
public sealed class PostgreSqlBankStatementStore(NpgsqlDataSource dataSource) : IBankStatementStore
{
    private const string SelectLine = "select id, version, document::text as document from statement_lines";

    public async Task<IReadOnlySet<string>> KnownAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        if (keys.Count == 0) return new HashSet<string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var known = await connection.QueryAsync<string>(new CommandDefinition("select key from statement_lines where key = any(@keys)",
            new { keys = keys.ToArray() }, cancellationToken: cancellationToken));
        return known.ToHashSet(StringComparer.Ordinal);
    }

    public async Task<BankStatement> AddAsync(BankStatement statement, IReadOnlyList<StatementLine> lines, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "insert into bank_statements (country, document) values (@Country, '{}'::jsonb) returning id", new { statement.Country }, transaction,
            cancellationToken: cancellationToken));
        var stored = statement with { Id = id, ImportedAtUtc = DateTime.SpecifyKind(statement.ImportedAtUtc, DateTimeKind.Utc) };
        await connection.ExecuteAsync(new CommandDefinition("update bank_statements set document = @Document::jsonb where id = @Id",
            new { stored.Id, Document = PostgreSqlJson.Write(stored) }, transaction, cancellationToken: cancellationToken));
        foreach (var line in lines)
        {
            // Two imports of one file at once: the unique key lets one of them store each movement, the other skips it.
            var lineId = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                """
                insert into statement_lines (statement_id, key, country, date, status, version, document)
                values (@StatementId, @Key, @Country, @Date, @Status, 1, '{}'::jsonb) on conflict (key) do nothing returning id
                """,
                new { StatementId = id, line.Key, line.Country, Date = line.Date.ToDateTime(TimeOnly.MinValue), Status = line.Status.ToString() }, transaction, cancellationToken: cancellationToken));
            if (lineId is { } added) await WriteLineAsync(connection, transaction, line with { Id = added, StatementId = id, Version = 1 }, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<IReadOnlyList<BankStatement>> LatestAsync(CountryScope scope, int take, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return [];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var documents = await connection.QueryAsync<string>(new CommandDefinition(
            "select document::text from bank_statements where @all or country = any(@countries) order by id desc limit @take",
            new { all = scope.IsAll, countries = scope.Countries?.ToArray() ?? [], take }, cancellationToken: cancellationToken));
        return documents.Select(PostgreSqlJson.Read<BankStatement>).ToList();
    }

    public async Task<BankStatement?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var document = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
            "select document::text from bank_statements where id = @id", new { id }, cancellationToken: cancellationToken));
        return document is null ? null : PostgreSqlJson.Read<BankStatement>(document);
    }

    public async Task<IReadOnlyList<StatementLine>> LinesAsync(int statementId, CancellationToken cancellationToken = default) =>
        await QueryLinesAsync($"{SelectLine} where statement_id = @statementId order by id", new { statementId }, cancellationToken);

    public async Task<StatementLine?> GetLineAsync(int id, CancellationToken cancellationToken = default) =>
        (await QueryLinesAsync($"{SelectLine} where id = @id", new { id }, cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<StatementLine>> WaitingAsync(CountryScope scope, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return [];
        return await QueryLinesAsync($"{SelectLine} where status = 'Waiting' and (@all or upper(country) = any(@countries)) order by date, id",
            new { all = scope.IsAll, countries = scope.Countries?.ToArray() ?? [] }, cancellationToken);
    }

    public async Task<UpdateOutcome<StatementLine>> DecideAsync(StatementLine decided, int expectedVersion, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await QueryLinesAsync(connection, transaction, $"{SelectLine} where id = @id for update", new { id = decided.Id }, cancellationToken);
        if (found.FirstOrDefault() is not { } stored) return UpdateOutcome<StatementLine>.Missing;
        if (!stored.CanBeDecidedAt(expectedVersion)) return UpdateOutcome<StatementLine>.Conflict(stored);
        var updated = stored.DecidedAs(decided);
        await WriteLineAsync(connection, transaction, updated, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return UpdateOutcome<StatementLine>.Saved(updated);
    }

    private static Task WriteLineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StatementLine line, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("update statement_lines set status = @Status, version = @Version, document = @Document::jsonb where id = @Id",
            new { line.Id, Status = line.Status.ToString(), line.Version, Document = PostgreSqlJson.Write(line) }, transaction, cancellationToken: cancellationToken));

    private async Task<List<StatementLine>> QueryLinesAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryLinesAsync(connection, null, sql, parameters, cancellationToken);
    }

    private static async Task<List<StatementLine>> QueryLinesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object parameters,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(int Id, int Version, string Document)>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)))
            .Select(row => PostgreSqlJson.Read<StatementLine>(row.Document) with { Id = row.Id, Version = row.Version }).ToList();
}
