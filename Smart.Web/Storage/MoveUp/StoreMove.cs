using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Dapper;
using LiteDB;
using Npgsql;
using Smart.Web.BankStatements;
using Smart.Web.Budget;
using Smart.Web.Corrections;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Simulations;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Storage.MoveUp;

/// <summary>Why a move did not start: the source or the target is not what a move needs. Nothing was written.</summary>
public sealed class MoveRefusedException(string message) : Exception(message);

/// <summary>
/// Copies a LiteDB data directory into an empty PostgreSQL database (README, "Moving up to server mode"). Records are copied as they
/// are: both modes keep the same record types, so each is read through its LiteDB store and written with its PostgreSQL table's columns,
/// keeping its id, version, number and evaluation; the audit log and the ledgers are copied entry by entry, not written again by the copy.
/// One transaction per collection. The invoice numbers' counters move with the invoices, so the next issue continues each sequence.
/// </summary>
public sealed class StoreMove(string dataDirectory, string connectionString, TextWriter log)
{
    private const int Batch = 5_000;

    /// <summary>The LiteDB collections this move copies (or that only the LiteDB store needs: its own migrations' record).</summary>
    public static readonly IReadOnlySet<string> KnownCollections = new HashSet<string>(StringComparer.Ordinal)
    {
        "accounts", "apiKeys", "members", "productionUnits", "clients", "ruleSetVersions", "invoices", "invoiceEvaluations", "invoiceNumbers",
        "invoiceFiles", LiteDbOutboxStore.CollectionName, "authorRightsYears", "contracts", "contractEvaluations", "expenseClaims",
        "expenseReceipts", LiteDbLedgerStore.CollectionName, "reminders", "reminderRuns", "reevaluationRuns", "simulations",
        "simulationDocuments", "bankStatements", "statementLines", "correctionRuns", "regularisationStatements", "correctiveDocuments", "audit",
        "storeMigrations",
    };

    /// <summary>The tables that must be empty before a move: a database the app already wrote to is refused.</summary>
    private static readonly string[] TargetTables =
    [
        "accounts", "api_keys", "members", "production_units", "clients", "rule_set_versions", "invoices", "invoice_numbers", "contracts",
        "expense_claims", "ledger_entries", "reminders", "reevaluation_runs", "simulations", "bank_statements", "correction_runs", "audit",
        "data_protection_keys",
    ];

    // The tables whose ids the copy keeps: their identity then continues after the highest.
    private static readonly string[] KeptIds =
        ["accounts", "members", "production_units", "clients", "rule_set_versions", "invoices", "contracts", "expense_claims", "reevaluation_runs", "simulations",
         "bank_statements", "statement_lines", "correction_runs"];

    /// <summary>Copies everything; returns how many records of each collection were written.</summary>
    public async Task<IReadOnlyList<(string Collection, int Records, TimeSpan Took)>> CopyAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(dataDirectory, StorageServices.DatabaseFileName)))
            throw new MoveRefusedException($"No store in {dataDirectory}: it has no {StorageServices.DatabaseFileName}.");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrations(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrations>.Instance).ApplyAsync(cancellationToken);
        await RefuseNonEmptyAsync(dataSource, cancellationToken);

        using var source = new LiteDbSource(dataDirectory);
        var database = source.Database;
        RefuseUnknownCollections(database);
        var clock = TimeProvider.System;
        var (audit, ledger, members, units, clients, invoices, contracts, claims) =
            (source.Audit, source.Ledger, source.Members, source.Units, source.Clients, source.Invoices, source.Contracts, source.Claims);
        var target = new Target(cancellationToken);
        var done = new List<(string, int, TimeSpan)>();

        async Task Step(string collection, Func<NpgsqlConnection, NpgsqlTransaction, Task<int>> copy)
        {
            var took = Stopwatch.StartNew();
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var records = await copy(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            done.Add((collection, records, took.Elapsed));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {collection,-28} {records,10:N0} in {took.Elapsed.TotalSeconds,6:F1} s"));
        }

        await log.WriteLineAsync($"Copying {source.Path} into the PostgreSQL database...");
        await Step("accounts", (c, t) => target.InsertAsync(c, t, source.Accounts.All(),
            "insert into accounts (id, email, version, document) values (@Id, @Email, @Version, @Document::jsonb)",
            a => new { a.Id, a.Email, a.Version, Document = PostgreSqlJson.Write(a) }));
        await Step("API keys", (c, t) => target.InsertAsync(c, t, source.ApiKeys.All(),
            "insert into api_keys (id, key_hash, created_utc, document) values (@Id, @KeyHash, @CreatedUtc, @Document::jsonb)",
            k =>
            {
                var stored = k with { CreatedUtc = DateTime.SpecifyKind(k.CreatedUtc, DateTimeKind.Utc) };
                return new { stored.Id, stored.KeyHash, stored.CreatedUtc, Document = PostgreSqlJson.Write(stored) };
            }));
        await Step("members", (c, _) => target.CopyAsync(members.All(), batch => new PostgreSqlMemberStore(dataSource, clock).Records.CopyAsync(c, batch, null, cancellationToken)));
        var unitRecords = new PostgreSqlProductionUnitStore(dataSource, clock).Records;
        await Step("production units", (c, _) => target.CopyAsync(units.All(), async batch =>
        {
            // An opened unit's budget is its ledger's, set from the copied entries below; one not opened yet keeps the budget typed in.
            var opened = batch.Where(u => u.LedgerOpened).Select(u => u.Unit.Id).ToHashSet();
            await unitRecords.CopyAsync(c, batch.Select(u => u.Unit).ToList(), new Dictionary<string, Func<ProductionUnit, object?>>
            {
                ["available_budget"] = u => u.AvailableBudget,
                ["ledger_opened"] = u => opened.Contains(u.Id),
            }, cancellationToken);
        }));
        await Step("clients", (c, _) => target.CopyAsync(clients.All(), batch => new PostgreSqlClientStore(dataSource, clock).Records.CopyAsync(c, batch, null, cancellationToken)));
        await Step("rule-set versions", (c, t) => target.InsertAsync(c, t, source.RuleSets.All(),
            """
            insert into rule_set_versions (id, key, country, number, status, published_at_utc, document)
            values (@Id, @Key, @Country, @Number, @Status, @PublishedAtUtc, @Document::jsonb)
            """, PostgreSqlRuleSetStore.Columns));
        await Step("invoices and credit notes", (c, t) => target.CopyAsync(invoices.All(), batch => PostgreSqlInvoiceStore.CopyAsync(c, batch, cancellationToken)));
        await Step("invoice files", (c, t) => target.CopyAsync(invoices.Files(), batch => PostgreSqlInvoiceStore.CopyFilesAsync(c, t, batch, cancellationToken), 200));
        await Step("invoice numbers", async (c, t) =>
        {
            var counters = invoices.NumberCounters().ToList();
            await PostgreSqlInvoiceStore.CopyNumbersAsync(c, t, counters, cancellationToken);
            return counters.Count;
        });
        await Step("members' income per year", (c, t) => target.CopyAsync(invoices.IncomeYears(), batch => PostgreSqlInvoiceStore.CopyIncomeAsync(c, t, batch, cancellationToken)));
        await Step("e-invoice outbox", (c, t) => target.InsertAsync(c, t, source.Outbox.All(),
            "insert into einvoice_outbox (invoice_id, country, status, attempt, document) values (@InvoiceId, @Country, @Status, @Attempt, @Document::jsonb)",
            e => new { e.InvoiceId, Country = CountryCode.Normalise(e.Country), Status = e.Status.ToString(), e.Attempt, Document = PostgreSqlJson.Write(e) }));
        await Step("contracts", (c, t) => target.CopyAsync(contracts.All(), batch => new PostgreSqlContractStore(dataSource, clock).Records.CopyAsync(c, t, batch, cancellationToken)));
        await Step("expense claims", (c, t) => target.CopyAsync(claims.All(), batch => new PostgreSqlExpenseClaimStore(dataSource, clock).Records.CopyAsync(c, t, batch, cancellationToken)));
        await Step("expense receipts", (c, t) => target.InsertAsync(c, t, claims.Receipts(),
            "insert into expense_receipts (claim_id, file_name, content_type, content) values (@ClaimId, @FileName, @ContentType, @Content)", r => r));
        await Step("ledger entries", async (c, t) =>
        {
            var copied = await target.CopyAsync(ledger.All(), batch => PostgreSqlLedgerStore.CopyAsync(c, batch, cancellationToken), 20_000);
            await PostgreSqlLedgerStore.RefreshAllAvailableAsync(c, t, cancellationToken);
            return copied;
        });
        var reminders = source.Reminders;
        await Step("payment reminders", (c, t) => target.InsertAsync(c, t, reminders.All(),
            "insert into reminders (invoice_id, step, country, recorded_at, document) values (@InvoiceId, @Step, @Country, @RecordedAt, @Document::jsonb)",
            r => new
            {
                r.Reminder.InvoiceId, r.Reminder.Step, Country = CountryCode.Normalise(r.Reminder.Country), RecordedAt = DateTime.SpecifyKind(r.RecordedAt, DateTimeKind.Utc),
                Document = PostgreSqlJson.Write(r.Reminder),
            }));
        await Step("reminder runs", (c, t) => target.InsertAsync(c, t, reminders.Runs(), "insert into reminder_runs (day, status) values (@Day, @Status)",
            r => new { Day = r.Day.ToDateTime(TimeOnly.MinValue), Status = r.Status.ToString() }));
        await Step("re-evaluation runs", (c, t) => target.InsertAsync(c, t, source.Reevaluations.All(),
            "insert into reevaluation_runs (id, country, status, cancelled_by, document) values (@Id, @Country, @Status, @CancelledBy, @Document::jsonb)",
            PostgreSqlReevaluationStore.Columns));
        var simulations = source.Simulations;
        await Step("impact simulations", (c, t) => target.InsertAsync(c, t, simulations.All(),
            "insert into simulations (id, version_id, status, cancelled_by, document) values (@Id, @VersionId, @Status, @CancelledBy, @Document::jsonb)",
            PostgreSqlSimulationStore.Columns));
        await Step("simulated documents", (c, t) => target.InsertAsync(c, t, simulations.Documents(),
            "insert into simulation_documents (simulation_id, kind, document_id, document) values (@SimulationId, @Kind, @DocumentId, @Document::jsonb)",
            d => new { SimulationId = d.SimulationId, d.Document.Kind, d.Document.DocumentId, Document = PostgreSqlJson.Write(d.Document with { SimulationId = d.SimulationId }) }));
        var statements = source.Statements;
        await Step("bank statements", (c, t) => target.InsertAsync(c, t, statements.All(),
            "insert into bank_statements (id, country, document) values (@Id, @Country, @Document::jsonb)",
            s =>
            {
                var stored = s with { ImportedAtUtc = DateTime.SpecifyKind(s.ImportedAtUtc, DateTimeKind.Utc) };
                return new { stored.Id, Country = CountryCode.Normalise(stored.Country), Document = PostgreSqlJson.Write(stored) };
            }));
        await Step("statement lines", (c, t) => target.InsertAsync(c, t, statements.Lines(),
            """
            insert into statement_lines (id, statement_id, key, country, date, status, version, document)
            values (@Id, @StatementId, @Key, @Country, @Date, @Status, @Version, @Document::jsonb)
            """,
            l => new
            {
                l.Id, l.StatementId, l.Key, Country = CountryCode.Normalise(l.Country), Date = l.Date.ToDateTime(TimeOnly.MinValue), Status = l.Status.ToString(), l.Version,
                Document = PostgreSqlJson.Write(l),
            }));
        // Correction runs with what they made: a statement's and a corrective pair's key is their run's id (kept), and the
        // corrective pair names the credit note and new invoice by the invoices' ids (kept too).
        var corrections = source.Corrections;
        await Step("correction runs", (c, t) => target.InsertAsync(c, t, corrections.All(),
            "insert into correction_runs (id, country, status, document) values (@Id, @Country, @Status, @Document::jsonb)",
            PostgreSqlCorrectionStore.Columns));
        await Step("regularisation statements", (c, t) => target.InsertAsync(c, t, corrections.AllStatements(),
            PostgreSqlCorrectionStore.InsertStatement, PostgreSqlCorrectionStore.Columns));
        await Step("corrective documents", (c, t) => target.InsertAsync(c, t, corrections.AllCorrections(),
            PostgreSqlCorrectionStore.InsertCorrection, PostgreSqlCorrectionStore.Columns));
        await Step("audit entries", (c, _) => target.CopyAsync(audit.All(), batch => PostgreSqlAuditLog.WriteManyAsync(c, batch, cancellationToken), 20_000));
        await Step("data-protection keys", (c, t) => target.InsertAsync(c, t, KeyFiles(),
            "insert into data_protection_keys (friendly_name, xml) values (@Name, @Xml)", k => k));
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            foreach (var table in KeptIds)
                await connection.ExecuteAsync(new CommandDefinition(
                    $"select setval(pg_get_serial_sequence('{table}', 'id'), max(id)) from {table} having count(*) > 0", cancellationToken: cancellationToken));
            // The planner's statistics and the visibility map of the tables just filled, before the first user rather than whenever
            // autovacuum gets there: without them the lists' counts and ordered pages read whole tables.
            var took = Stopwatch.StartNew();
            await connection.ExecuteAsync(new CommandDefinition("vacuum (analyze)", commandTimeout: 0, cancellationToken: cancellationToken));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {"vacuum and analyze",-28} {"",10} in {took.Elapsed.TotalSeconds,6:F1} s"));
        }
        return done;
    }

    /// <summary>The data directory's key ring (sign-in cookies, anti-forgery tokens): moved, a signed-in user stays signed in.</summary>
    private IEnumerable<object> KeyFiles()
    {
        var keys = new DirectoryInfo(Path.Combine(dataDirectory, AccountServices.KeysDirectoryName));
        if (!keys.Exists) yield break;
        foreach (var key in keys.EnumerateFiles("*.xml").OrderBy(f => f.LastWriteTimeUtc))
            yield return new { Name = Path.GetFileNameWithoutExtension(key.Name), Xml = File.ReadAllText(key.FullName) };
    }

    private static async Task RefuseNonEmptyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var written = new List<string>();
        foreach (var table in TargetTables)
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"select exists (select 1 from {table})", cancellationToken: cancellationToken)))
                written.Add(table);
        if (written.Count > 0)
            throw new MoveRefusedException(
                $"The target database is not empty ({string.Join(", ", written)} hold rows): a move needs a new, empty database (createdb), so nothing is mixed or overwritten.");
    }

    /// <summary>A collection this build does not know (written by a newer version) would be left behind: refused before anything is copied.</summary>
    private static void RefuseUnknownCollections(LiteDatabase database)
    {
        var unknown = database.GetCollectionNames().Where(name => !KnownCollections.Contains(name) && database.GetCollection(name).Count() > 0).Order().ToList();
        if (unknown.Count > 0)
            throw new MoveRefusedException($"The store holds collections this version cannot move ({string.Join(", ", unknown)}): move it with the version that wrote them.");
    }

    /// <summary>The copy's writes: rows a batch at a time, all batches of a collection in its one transaction.</summary>
    private sealed class Target(CancellationToken cancellationToken)
    {
        /// <summary>
        /// The rows are read on a thread of their own, a couple of batches ahead, while this one awaits PostgreSQL. LiteDB's read lock
        /// belongs to the thread that opened the cursor: a cursor enumerated across awaits is closed on another thread, its lock never
        /// released, and the next read on the first thread fails ("Recursive read lock acquisitions not allowed") on a large store.
        /// </summary>
        public async Task<int> CopyAsync<T>(IEnumerable<T> rows, Func<IReadOnlyList<T>, Task> write, int size = Batch)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var batches = Channel.CreateBounded<T[]>(2);
            var reading = Task.Factory.StartNew(() =>
            {
                try
                {
                    foreach (var batch in rows.Chunk(size))
                        batches.Writer.WriteAsync(batch, stop.Token).AsTask().GetAwaiter().GetResult();
                    batches.Writer.Complete();
                }
                catch (Exception e)
                {
                    batches.Writer.Complete(e);
                }
            }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var count = 0;
            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
                {
                    await write(batch);
                    count += batch.Length;
                }
            }
            finally
            {
                // A failed write stops the reader too, before its cursor is left open.
                await stop.CancelAsync();
                await reading;
            }
            return count;
        }

        public Task<int> InsertAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<T> rows, string sql, Func<T, object> parameters) =>
            CopyAsync(rows, batch => connection.ExecuteAsync(new CommandDefinition(sql, batch.Select(parameters).ToList(), transaction, cancellationToken: cancellationToken)), 1_000);
    }
}
