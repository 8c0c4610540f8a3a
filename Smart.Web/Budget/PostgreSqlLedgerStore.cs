using System.Globalization;
using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Budget;

/// <summary>
/// The ledgers in PostgreSQL (table <c>ledger_entries</c>, a unique key per entry). The invoice, contract and expense-claim stores write
/// their entries with <see cref="WriteWithinAsync"/> inside their own transaction. Every write first takes a transaction-scoped advisory
/// lock on the unit: entries computed from the unit's totals (a payment's guarantee recovery) never see totals another instance is changing.
/// </summary>
public sealed class PostgreSqlLedgerStore(NpgsqlDataSource dataSource, TimeProvider clock) : ILedgerStore, IPostgreSqlUnitLedger
{
    // The advisory lock space of the units' ledgers (two-key form: this constant and the unit id).
    private const int UnitLock = 0x4c_4544;

    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(int productionUnitId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // In the order written, as the LiteDB store: each entry's running balance is the one its event saw.
        return await ReadAsync(connection, null, "where production_unit_id = @productionUnitId order by id", new { productionUnitId }, cancellationToken);
    }

    public async Task<LedgerTotals> TotalsAsync(int productionUnitId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await TotalsOfAsync(connection, null, productionUnitId, cancellationToken);
    }

    public async Task<decimal> ReservedByAsync(LedgerSource source, int sourceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReservedByAsync(connection, null, source, sourceId, cancellationToken);
    }

    public async Task<int> AppendAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var written = await WriteWithinAsync(connection, transaction, entries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return written;
    }

    public async Task<IReadOnlyList<LedgerEntry>> GuaranteeEntriesAsync(string country, CancellationToken cancellationToken = default)
    {
        string[] kinds = [nameof(LedgerEntryKind.GuaranteeAdvance), nameof(LedgerEntryKind.GuaranteeRecovery), nameof(LedgerEntryKind.GuaranteeWrittenOff)];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, "where country = @country and kind = any(@kinds) order by date, id",
            new { country = CountryCode.Normalise(country), kinds }, cancellationToken);
    }

    /// <summary>
    /// Opens, a batch per transaction, every unit whose row says its ledger is not opened (stored without a ledger at hand): its opening
    /// balance, held in <c>available_budget</c> until then, becomes its opening entry. Idempotent by the entry's key and the row's flag.
    /// </summary>
    public async Task<int> OpenUnitsAsync(AuditActor actor, CancellationToken cancellationToken = default)
    {
        var opened = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Skip locked: two instances starting at once open different units, never one twice.
            var batch = (await connection.QueryAsync<(int Id, string Country, decimal Opening, string? Created)>(new CommandDefinition(
                "select id, country, available_budget, document ->> 'Created' from production_units where not ledger_opened order by id limit 2000 for update skip locked",
                transaction: transaction, cancellationToken: cancellationToken))).ToList();
            if (batch.Count == 0) return opened;
            foreach (var unit in batch)
                await OpenAsync(connection, transaction, unit.Id, unit.Country, unit.Opening,
                    unit.Created is { } created ? DateOnly.Parse(created, CultureInfo.InvariantCulture) : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), actor, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            opened += batch.Count;
        }
    }

    /// <summary>Opens the ledger of units just stored, inside their insert's transaction (the production unit store calls it).</summary>
    public async Task OpenWithinAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ProductionUnit> units, AuditActor actor,
        CancellationToken cancellationToken)
    {
        foreach (var unit in units)
            await OpenAsync(connection, transaction, unit.Id, unit.Country, unit.OpeningBalance, unit.Created, actor, cancellationToken);
    }

    private async Task OpenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int unitId, string country, decimal openingBalance, DateOnly created,
        AuditActor actor, CancellationToken cancellationToken)
    {
        if (openingBalance != 0m)
            await WriteWithinAsync(connection, transaction,
                [LedgerRules.OpeningBalance(unitId, country, openingBalance, created, actor, clock.GetUtcNow().UtcDateTime)], cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update production_units set ledger_opened = true where id = @unitId",
            new { unitId }, transaction, cancellationToken: cancellationToken));
        await RefreshAvailableAsync(connection, transaction, unitId, cancellationToken);
    }

    /// <summary>The unit's available budget on its row, from its entries, in the write's transaction: a figure the unit list sorts by, never typed.</summary>
    private static Task RefreshAvailableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int unitId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            update production_units set available_budget =
                (select coalesce(sum(amount), 0) - coalesce(sum(reserved), 0) from ledger_entries where production_unit_id = @unitId)
            where id = @unitId and ledger_opened
            """, new { unitId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Locks the unit's ledger until the caller's transaction ends: take it before reading totals that decide entries (a payment's
    /// recovery, a contract's guarantee advance), so two writes of one unit queue.
    /// </summary>
    internal static Task LockUnitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int productionUnitId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(@space, @productionUnitId)",
            new { space = UnitLock, productionUnitId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Writes the entries whose key is not stored yet inside the caller's transaction (an invoice's payment, a contract's save), so they
    /// commit or roll back with the event; returns how many were written.
    /// </summary>
    internal static async Task<int> WriteWithinAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<LedgerEntry> entries,
        CancellationToken cancellationToken)
    {
        var written = 0;
        var touched = new HashSet<int>();
        foreach (var entry in entries)
        {
            touched.Add(entry.ProductionUnitId);
            await LockUnitAsync(connection, transaction, entry.ProductionUnitId, cancellationToken);
            // The unique key makes a replayed event a no-op, even from another instance.
            written += await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into ledger_entries (key, production_unit_id, country, kind, source, date, amount, reserved, advance, document)
                values (@Key, @ProductionUnitId, @Country, @Kind, @Source, @Date, @Amount, @Reserved, @Advance, @Document::jsonb)
                on conflict (key) do nothing
                """,
                new
                {
                    entry.Key, entry.ProductionUnitId, Country = CountryCode.Normalise(entry.Country), Kind = entry.Kind.ToString(),
                    Source = SourceOf(entry.SourceKind, entry.SourceId), Date = entry.Date.ToDateTime(TimeOnly.MinValue), entry.Amount, entry.Reserved, entry.Advance,
                    Document = PostgreSqlJson.Write(entry with { Country = CountryCode.Normalise(entry.Country) }),
                },
                transaction, cancellationToken: cancellationToken));
        }
        foreach (var unitId in touched) await RefreshAvailableAsync(connection, transaction, unitId, cancellationToken);
        return written;
    }

    /// <summary>
    /// Writes entries as another store kept them (the move from LiteDB, Storage/MoveUp), in the order given (their order written), in the
    /// caller's transaction; <see cref="RefreshAllAvailableAsync"/> then sets the units' budgets from them.
    /// </summary>
    internal static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "copy ledger_entries (key, production_unit_id, country, kind, source, date, amount, reserved, advance, document) from stdin (format binary)", cancellationToken);
        foreach (var entry in entries)
        {
            var stored = entry with { Id = 0, Country = CountryCode.Normalise(entry.Country) };
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(stored.Key, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(stored.ProductionUnitId, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(stored.Country, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(stored.Kind.ToString(), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(SourceOf(stored.SourceKind, stored.SourceId), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(stored.Date, NpgsqlTypes.NpgsqlDbType.Date, cancellationToken);
            await copy.WriteAsync(stored.Amount, NpgsqlTypes.NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(stored.Reserved, NpgsqlTypes.NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(stored.Advance, NpgsqlTypes.NpgsqlDbType.Numeric, cancellationToken);
            await copy.WriteAsync(PostgreSqlJson.Write(stored), NpgsqlTypes.NpgsqlDbType.Jsonb, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Every opened unit's available budget from its entries, as each write sets one unit's (<see cref="RefreshAvailableAsync"/>).</summary>
    internal static Task RefreshAllAvailableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            update production_units u set available_budget = coalesce(t.available, 0)
            from production_units p left join (select production_unit_id, sum(amount) - sum(reserved) as available from ledger_entries group by production_unit_id) t
                on t.production_unit_id = p.id
            where u.id = p.id and u.ledger_opened
            """, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));


    /// <summary>A unit's figures summed from its entries; inside a write transaction it sees that transaction's own entries.</summary>
    internal static Task<LedgerTotals> TotalsOfAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int productionUnitId, CancellationToken cancellationToken) =>
        connection.QuerySingleAsync<LedgerTotals>(new CommandDefinition(
            """
            select coalesce(sum(amount), 0) as Balance, coalesce(sum(reserved), 0) as Reserved, coalesce(sum(advance), 0) as Advance, count(*)::integer as Entries
            from ledger_entries where production_unit_id = @productionUnitId
            """,
            new { productionUnitId }, transaction, cancellationToken: cancellationToken));

    internal static Task<decimal> ReservedByAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, LedgerSource source, int sourceId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<decimal>(new CommandDefinition("select coalesce(sum(reserved), 0) from ledger_entries where source = @source",
            new { source = SourceOf(source, sourceId) }, transaction, cancellationToken: cancellationToken));

    private static async Task<IReadOnlyList<LedgerEntry>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, object parameters,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(long Id, string Document)>(new CommandDefinition(
            $"select id, document::text from ledger_entries {where}", parameters, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => PostgreSqlJson.Read<LedgerEntry>(row.Document) with { Id = row.Id }).ToList();
    }

    private static string SourceOf(LedgerSource kind, int id) => string.Create(CultureInfo.InvariantCulture, $"{kind}:{id}");
}
