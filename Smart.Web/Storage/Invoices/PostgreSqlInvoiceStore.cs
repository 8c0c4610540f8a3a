using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using Smart.Rules.Evaluation;
using Smart.Web.Budget;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Invoices;

/// <summary>
/// The invoices in PostgreSQL. Each write is one transaction: the invoice's row is locked (<c>select … for update</c>), the entity's own
/// rule decides (<see cref="Invoice.CanBeIssued"/>, <see cref="Invoice.CanPay"/>…), then the row, its number, files, outbox entry, the
/// member's income, the unit's ledger entries and the audit entries are written and commit together. Lists and exports are SQL on the
/// indexed columns and read the document only, whose evaluation has no trace; the whole evaluation (<c>invoice_evaluations</c>) is read
/// with one invoice.
/// </summary>
public sealed class PostgreSqlInvoiceStore(NpgsqlDataSource dataSource, TimeProvider clock, PostgreSqlCounts? counts = null) : IInvoiceStore
{
    private const string ListColumns = "i.id, i.version, i.document::text as document, null as evaluation";
    private const string FullColumns = "i.id, i.version, i.document::text as document, e.evaluation::text as evaluation";
    private const string FullFrom = "invoices i left join invoice_evaluations e on e.invoice_id = i.id";

    public async Task<SearchResult<Invoice>> SearchAsync(InvoiceQuery query, CancellationToken cancellationToken = default)
    {
        if (query.Scope.Countries is { Count: 0 }) return SearchResult<Invoice>.Empty;
        var (where, parameters) = Filter(query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var countSql = $"select count(*) from invoices i {where}";
        Task<int> Count() => connection.ExecuteScalarAsync<int>(new CommandDefinition(countSql, parameters, cancellationToken: cancellationToken));
        // The exact count of a list over 175,000 paid invoices reads as many index entries: kept until the table changes.
        var total = counts is null ? await Count()
            : await counts.CountAsync("invoices", PostgreSqlCounts.Key(countSql, parameters.ParameterNames.Select(name => (name, (object?)parameters.Get<object?>(name)))), Count);
        parameters.Add("skip", Math.Max(0, query.Skip));
        parameters.Add("take", Math.Clamp(query.Take, 0, 1000));
        // The page's ids first, then only their documents: a document is read (and made text) for the 50 rows shown, not for every row
        // the order has to look at.
        var order = OrderBy(query);
        var rows = await ReadAsync(connection, null,
            $"with page as (select i.id from invoices i {where} {order} offset @skip limit @take) select {ListColumns} from invoices i join page p on p.id = i.id {order}",
            parameters, cancellationToken);
        return new SearchResult<Invoice>(rows, total);
    }

    // A batch per read, each on its own short connection: a slow download never holds a connection of the pool.
    public async IAsyncEnumerable<Invoice> ExportAsync(InvoiceQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (query.Scope.Countries is { Count: 0 }) yield break;
        for (var skip = 0; ; skip += 500)
        {
            var page = await SearchAsync(query with { Skip = skip, Take = 500 }, cancellationToken);
            foreach (var invoice in page.Rows) yield return invoice;
            if (page.Rows.Count < 500) yield break;
        }
    }

    public async Task<Invoice?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await ReadAsync(connection, null, $"select {FullColumns} from {FullFrom} where i.id = @id", new { id }, cancellationToken)).SingleOrDefault();
    }

    public IAsyncEnumerable<Invoice> PastDueAsync(CountryScope scope, DateOnly today, CancellationToken cancellationToken = default) =>
        ByDueDateAsync(scope, $"{AwaitsPayment} and i.due_date < @today::date", today, cancellationToken);

    public IAsyncEnumerable<Invoice> OpenAsync(CountryScope scope, CancellationToken cancellationToken = default) =>
        ByDueDateAsync(scope, AwaitsPayment, null, cancellationToken);

    /// <summary>Issued or partly paid, not a credit note: <see cref="Invoice.AwaitsPaymentWith"/> as SQL.</summary>
    private const string AwaitsPayment = "i.status in ('Issued', 'PartlyPaid') and i.credit_note_for_id is null";

    /// <summary>Oldest due date first (none first, as LiteDB orders a null), then id; read by keyset a batch at a time.</summary>
    private async IAsyncEnumerable<Invoice> ByDueDateAsync(CountryScope scope, string condition, DateOnly? today,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (scope.Countries is { Count: 0 }) yield break;
        var countries = scope.Countries?.ToArray();
        // A small first batch: the home page stops after its ten oldest overdue invoices.
        var (afterDue, afterId, size) = (DateOnly.MinValue, 0, 20);
        while (true)
        {
            IReadOnlyList<Invoice> batch;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                batch = await ReadAsync(connection, null,
                    $"""
                    select {ListColumns}, coalesce(i.due_date, '0001-01-01') from invoices i
                    where {condition} and (@countries::text[] is null or i.country = any(@countries))
                      and (coalesce(i.due_date, '0001-01-01'), i.id) > (@afterDue::date, @afterId)
                    order by coalesce(i.due_date, '0001-01-01'), i.id limit @size
                    """,
                    new { countries, afterDue = Day(afterDue), afterId, size, today = today is { } t ? Day(t) : (DateTime?)null }, cancellationToken);
            }
            foreach (var invoice in batch) yield return invoice;
            if (batch.Count < size) yield break;
            (afterDue, afterId, size) = (batch[^1].DueDate ?? DateOnly.MinValue, batch[^1].Id, 500);
        }
    }

    public async Task<Invoice> AddDraftAsync(Invoice invoice, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await InsertAsync(connection, transaction, invoice with { Status = InvoiceStatus.Draft, Number = null }, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        counts?.Changed("invoices");
        return stored;
    }

    public Task<UpdateOutcome<Invoice>> UpdateDraftAsync(Invoice invoice, int expectedVersion, AuditActor actor, CancellationToken cancellationToken = default) =>
        UpdateAsync(invoice.Id, actor, (_, stored) => Task.FromResult(
            stored.IsDraftAt(expectedVersion) ? invoice with { Country = stored.Country, Status = InvoiceStatus.Draft, Number = null } : null), cancellationToken);

    public Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, InvoiceEvaluation evaluation, AuditActor actor, CancellationToken cancellationToken = default) =>
        IssueAsync(id, expectedVersion, evaluation, null, actor, null, cancellationToken);

    public Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, InvoiceEvaluation evaluation, int? memberId, AuditActor actor, CancellationToken cancellationToken = default) =>
        IssueAsync(id, expectedVersion, evaluation, memberId, actor, null, cancellationToken);

    public Task<UpdateOutcome<Invoice>> IssueAsync(int id, int expectedVersion, InvoiceEvaluation evaluation, int? memberId, AuditActor actor,
        Func<Invoice, InvoiceFiles>? files, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, actor, async (write, stored) =>
        {
            if (!stored.CanBeIssued(expectedVersion)) return null;
            // The number, the member's income and the files all belong to the issue's transaction: one that rolls back takes no number.
            var issued = stored.Issue(await NextNumberAsync(write, stored.Country, stored.Date.Year, cancellationToken), evaluation);
            if (memberId is { } member) await AddIncomeAsync(write, member, stored, MemberIncome.Of(evaluation), actor, cancellationToken);
            if (files is not null) await StoreFilesAsync(write, issued, files(issued), cancellationToken);
            return issued;
        }, cancellationToken);

    public async Task<Invoice?> FindByNumberAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await ReadAsync(connection, null, $"select {FullColumns} from {FullFrom} where i.number = @number", new { number }, cancellationToken)).SingleOrDefault();
    }

    public async Task<InvoiceFiles?> FilesAsync(int invoiceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<InvoiceFiles>(new CommandDefinition(
            """
            select invoice_id as InvoiceId, format as Format, xml_file_name as XmlFileName, xml as Xml, pdf_file_name as PdfFileName, pdf as Pdf
            from invoice_files where invoice_id = @invoiceId
            """, new { invoiceId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Invoice>> UnpaidAsync(int productionUnitId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, $"select {ListColumns} from invoices i where i.production_unit_id = @productionUnitId and {AwaitsPayment} order by i.id",
            new { productionUnitId }, cancellationToken);
    }

    public Task<UpdateOutcome<Invoice>> RecordPaymentAsync(int id, InvoicePayment payment, AuditActor actor, CancellationToken cancellationToken = default) =>
        // Decided on the locked row: two payments recorded at once can never pay more than is due.
        UpdateAsync(id, actor, (_, stored) => Task.FromResult(stored.CanPay(payment.Amount) ? stored.Pay(payment) : null), cancellationToken);

    public Task<UpdateOutcome<Invoice>> WriteOffAsync(int id, InvoiceWriteOff writeOff, AuditActor actor, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, actor, (_, stored) => Task.FromResult(stored.CanBeWrittenOff ? stored.WrittenOff(writeOff) : null), cancellationToken);

    public Task<UpdateOutcome<Invoice>> CreditAsync(int id, InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId, AuditActor actor, CancellationToken cancellationToken = default) =>
        CreditAsync(id, creditEvaluation, date, memberId, actor, null, cancellationToken);

    // The credit note is stored, numbered and its original cancelled in one transaction, with an audit entry each.
    public Task<UpdateOutcome<Invoice>> CreditAsync(int id, InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId, AuditActor actor,
        Func<Invoice, Invoice, InvoiceFiles>? files, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, actor, async (write, stored) =>
        {
            // After a partial credit note, what is left is credited line by line (CreditLinesAsync), never the whole again.
            if (!stored.CanBeCredited || stored.Credits.Count > 0) return null;
            var note = await InsertCreditNoteAsync(write, stored, date, number => stored.CreditNote(date, number, creditEvaluation), files, memberId,
                -MemberIncome.Of(stored.Evaluation), actor, cancellationToken);
            return stored.CancelledBy(note.Id);
        }, cancellationToken);

    // A partial credit note: decided on the locked original, so two made at once never credit more than it holds.
    public Task<UpdateOutcome<Invoice>> CreditLinesAsync(int id, IReadOnlyList<decimal> quantities, InvoiceEvaluation creditEvaluation, DateOnly date, int? memberId,
        AuditActor actor, Func<Invoice, Invoice, InvoiceFiles>? files, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, actor, async (write, stored) =>
        {
            if (!stored.CanCredit(quantities)) return null;
            var note = await InsertCreditNoteAsync(write, stored, date, number => stored.PartialCreditNote(date, number, quantities, creditEvaluation), files,
                memberId, MemberIncome.Of(creditEvaluation), actor, cancellationToken);
            return stored.CreditedBy(note, quantities, -LedgerRules.UnitShare(creditEvaluation));
        }, cancellationToken);

    /// <summary>
    /// A credit note (whole or partial) of <paramref name="original"/>, inside the original's update: numbered from the credit-note sequence,
    /// stored with its files, the member's income moved by <paramref name="income"/>, and kept on the write for the ledger's entries.
    /// </summary>
    private async Task<Invoice> InsertCreditNoteAsync(Write write, Invoice original, DateOnly date, Func<string, Invoice> numbered,
        Func<Invoice, Invoice, InvoiceFiles>? files, int? memberId, MemberIncome income, AuditActor actor, CancellationToken cancellationToken)
    {
        var number = await NextNumberAsync(write, $"{original.Country}-CN", date.Year, cancellationToken);
        var note = await InsertAsync(write.Connection, write.Transaction, numbered(number), actor, cancellationToken);
        if (files is not null) await StoreFilesAsync(write, note, files(note, original), cancellationToken);
        if (memberId is { } member) await AddIncomeAsync(write, member, original, income, actor, cancellationToken);
        write.CreditNote = note;
        return note;
    }

    public Task<UpdateOutcome<Invoice>> RefundAsync(int id, InvoiceRefund refund, AuditActor actor, CancellationToken cancellationToken = default) =>
        // On the locked row: two refunds recorded at once never give back more than was overpaid.
        UpdateAsync(id, actor, (_, stored) => Task.FromResult(stored.CanRefund(refund.Amount) ? stored.Refund(refund) : null), cancellationToken);

    public async Task<MemberIncome> IncomeIssuedAsync(int memberId, int year, CancellationToken cancellationToken = default) =>
        (await IncomeIssuedAsync([(memberId, year)], cancellationToken)).GetValueOrDefault((memberId, year), MemberIncome.None);

    public async Task<IReadOnlyDictionary<(int MemberId, int Year), MemberIncome>> IncomeIssuedAsync(IReadOnlyCollection<(int MemberId, int Year)> keys,
        CancellationToken cancellationToken = default)
    {
        if (keys.Count == 0) return new Dictionary<(int, int), MemberIncome>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int MemberId, int Year, decimal Amount, decimal ProfessionalIncome)>(new CommandDefinition(
            """
            select y.member_id, y.year, y.amount, y.professional_income
            from author_rights_years y join unnest(@members, @years) as k(member_id, year) on k.member_id = y.member_id and k.year = y.year
            """,
            new { members = keys.Select(k => k.MemberId).ToArray(), years = keys.Select(k => k.Year).ToArray() }, cancellationToken: cancellationToken));
        return rows.DistinctBy(r => (r.MemberId, r.Year)).ToDictionary(r => (r.MemberId, r.Year), r => new MemberIncome(r.Amount, r.ProfessionalIncome));
    }

    public async Task<IReadOnlyList<Invoice>> DraftsAfterAsync(string? country, int afterId, int take, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null,
            $"select {FullColumns} from {FullFrom} where i.status = 'Draft' and i.id > @afterId and (@country::text is null or i.country = @country) order by i.id limit @take",
            new { country = CountryCode.NormaliseOrNull(country), afterId, take }, cancellationToken);
    }

    public async Task<IReadOnlyList<Invoice>> DatedAfterAsync(string country, DateOnly from, DateOnly to, int afterId, int take, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null,
            $"select {FullColumns} from {FullFrom} where i.country = @country and i.date between @from::date and @to::date and i.id > @afterId order by i.id limit @take",
            new { country = CountryCode.Normalise(country), from = Day(from), to = Day(to), afterId, take }, cancellationToken);
    }

    public async Task<IReadOnlyList<bool>> ReplaceDraftEvaluationsAsync(IReadOnlyList<EvaluationReplacement<InvoiceEvaluation>> replacements, AuditActor actor,
        RunAdvance? advance = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locked in id order, whatever the batch's order: two batches overlapping never wait on each other in a circle.
        var stored = (await ReadAsync(connection, transaction, $"select {FullColumns} from {FullFrom} where i.id = any(@ids) order by i.id for update of i",
            new { ids = replacements.Select(r => r.Id).Distinct().ToArray() }, cancellationToken)).ToDictionary(i => i.Id);
        var written = new List<bool>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var replacement in replacements)
        {
            if (!stored.TryGetValue(replacement.Id, out var invoice) || !invoice.IsDraftAt(replacement.ExpectedVersion))
            {
                written.Add(false);
                continue;
            }
            var updated = invoice with { Evaluation = replacement.Evaluation, Version = invoice.Version + 1 };
            await WriteAsync(connection, transaction, updated, invoice.Version, cancellationToken);
            await PostgreSqlAuditLog.WriteAsync(connection, transaction, Entry(now, actor, updated, AuditAction.Update, replacement.Changes), cancellationToken);
            stored[invoice.Id] = updated;
            written.Add(true);
        }
        if (advance is not null && !await PostgreSqlReevaluationStore.AdvanceAsync(connection, transaction, advance, written, cancellationToken))
            throw new RunMovedOnException(advance.RunId); // rolled back by the transaction's disposal
        await transaction.CommitAsync(cancellationToken);
        counts?.Changed("invoices");
        return written;
    }

    /// <summary>The connection and transaction of one write, and what it made besides the invoice (a credit note, for the ledger).</summary>
    private sealed class Write(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        public NpgsqlConnection Connection { get; } = connection;
        public NpgsqlTransaction Transaction { get; } = transaction;
        public Invoice? CreditNote { get; set; }
    }

    /// <summary>
    /// Replaces an invoice by what <paramref name="change"/> makes of the stored one, read under a row lock so the decision and the write
    /// cannot interleave with another instance's; a null change is a conflict and writes nothing (its number, if any was taken, rolls back).
    /// </summary>
    private async Task<UpdateOutcome<Invoice>> UpdateAsync(int id, AuditActor actor, Func<Write, Invoice, Task<Invoice?>> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = (await ReadAsync(connection, transaction, $"select {FullColumns} from {FullFrom} where i.id = @id for update of i", new { id }, cancellationToken))
            .SingleOrDefault();
        if (stored is null) return UpdateOutcome<Invoice>.Missing;
        var write = new Write(connection, transaction);
        if (await change(write, stored) is not { } changed)
        {
            await transaction.RollbackAsync(cancellationToken);
            return UpdateOutcome<Invoice>.Conflict(stored);
        }
        var updated = changed with { Id = id, Version = stored.Version + 1 };
        var changes = AuditChanges.Between(stored, updated);
        await WriteAsync(connection, transaction, updated, stored.Version, cancellationToken);
        await PostgreSqlAuditLog.WriteAsync(connection, transaction, Entry(clock.GetUtcNow().UtcDateTime, actor, updated, AuditAction.Update, changes), cancellationToken);
        await WriteLedgerAsync(write, stored, updated, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        counts?.Changed("invoices");
        return UpdateOutcome<Invoice>.Saved(updated);
    }

    /// <summary>
    /// The unit's ledger entries of an invoice's change, in the change's transaction: a payment adds its share (and repays the guarantee
    /// first), a credit note takes back what payments added, a write-off has the guarantee fund bear the unit's advance.
    /// </summary>
    private async Task WriteLedgerAsync(Write write, Invoice before, Invoice after, AuditActor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (connection, transaction, unit) = (write.Connection, write.Transaction, after.ProductionUnitId);
        IReadOnlyList<LedgerEntry> entries;
        if (after.Payments.Count > before.Payments.Count)
        {
            await PostgreSqlLedgerStore.LockUnitAsync(connection, transaction, unit, cancellationToken);
            entries = LedgerRules.Payment(before, after, await PostgreSqlLedgerStore.TotalsOfAsync(connection, transaction, unit, cancellationToken), actor, now);
        }
        else if (after.Credits.Count > before.Credits.Count && write.CreditNote is { } partial)
            entries = LedgerRules.PartialCreditNote(before, after, partial, actor, now);
        else if (after.CreditedById is not null && before.CreditedById is null && write.CreditNote is { } note)
            entries = LedgerRules.CreditNote(before, note, actor, now);
        else if (after.WriteOff is { } writeOff && before.WriteOff is null)
        {
            await PostgreSqlLedgerStore.LockUnitAsync(connection, transaction, unit, cancellationToken);
            entries = LedgerRules.WriteOff(after, writeOff.Date, writeOff.Reason, await PostgreSqlLedgerStore.TotalsOfAsync(connection, transaction, unit, cancellationToken),
                actor, now);
        }
        else return;
        await PostgreSqlLedgerStore.WriteWithinAsync(connection, transaction, entries, cancellationToken);
    }

    /// <summary>Stores a new invoice with version 1 and its create entry; its id is taken first so the document carries it.</summary>
    private async Task<Invoice> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Invoice invoice, AuditActor actor, CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select nextval(pg_get_serial_sequence('invoices', 'id'))::integer",
            transaction: transaction, cancellationToken: cancellationToken));
        var stored = invoice with { Id = id, Version = 1, Country = CountryCode.Normalise(invoice.Country) };
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into invoices (id, country, version, status, number, date, due_date, production_unit_id, client_id, total, credit_note_for_id, document)
            values (@Id, @Country, @Version, @Status, @Number, @Date, @DueDate, @ProductionUnitId, @ClientId, @Total, @CreditNoteForId, @Document::jsonb)
            """, Columns(stored), transaction, cancellationToken: cancellationToken));
        await WriteEvaluationAsync(connection, transaction, stored, cancellationToken);
        await PostgreSqlAuditLog.WriteAsync(connection, transaction,
            Entry(clock.GetUtcNow().UtcDateTime, actor, stored, AuditAction.Create, AuditChanges.Between(null, stored)), cancellationToken);
        return stored;
    }

    /// <summary>
    /// Writes invoices and credit notes as another store kept them (the move from LiteDB, Storage/MoveUp): their ids, versions, numbers and
    /// evaluations, no audit or ledger entries (both are copied as they are), in the caller's transaction. Originals before their notes (id order).
    /// </summary>
    internal static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<Invoice> invoices, CancellationToken cancellationToken)
    {
        // Binary COPY: a year's invoices in minutes, not a round trip each. Each column as Columns writes it.
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy invoices (id, country, version, status, number, date, due_date, production_unit_id, client_id, total, credit_note_for_id, document) from stdin (format binary)",
            cancellationToken))
        {
            foreach (var given in invoices)
            {
                var invoice = given with { Country = CountryCode.Normalise(given.Country) };
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(invoice.Id, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(invoice.Country, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(invoice.Version, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(invoice.Status.ToString(), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                if (invoice.Number is { } number) await copy.WriteAsync(number, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                else await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync(invoice.Date, NpgsqlTypes.NpgsqlDbType.Date, cancellationToken);
                if (invoice.DueDate is { } due) await copy.WriteAsync(due, NpgsqlTypes.NpgsqlDbType.Date, cancellationToken);
                else await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync(invoice.ProductionUnitId, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(invoice.ClientId, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(TotalOf(invoice), NpgsqlTypes.NpgsqlDbType.Numeric, cancellationToken);
                if (invoice.CreditNoteForId is { } original) await copy.WriteAsync(original, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                else await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync(ListDocument(invoice), NpgsqlTypes.NpgsqlDbType.Jsonb, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("copy invoice_evaluations (invoice_id, evaluation) from stdin (format binary)", cancellationToken))
        {
            foreach (var invoice in invoices.Where(i => i.Evaluation is not null))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(invoice.Id, NpgsqlTypes.NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(PostgreSqlJson.Write(invoice.Evaluation), NpgsqlTypes.NpgsqlDbType.Jsonb, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>The last number given per sequence and year, as another store counted them (the move from LiteDB): the next issue continues it.</summary>
    internal static Task CopyNumbersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(string Sequence, int Year, int Last)> counters,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("insert into invoice_numbers (sequence, year, last) values (@Sequence, @Year, @Last)",
            counters.Select(c => new { c.Sequence, c.Year, c.Last }), transaction, cancellationToken: cancellationToken));

    /// <summary>Issued documents' files (the move from LiteDB).</summary>
    internal static Task CopyFilesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<InvoiceFiles> files, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into invoice_files (invoice_id, format, xml_file_name, xml, pdf_file_name, pdf)
            values (@InvoiceId, @Format, @XmlFileName, @Xml, @PdfFileName, @Pdf)
            """, files, transaction, cancellationToken: cancellationToken));

    /// <summary>The members' income issued per year (the move from LiteDB).</summary>
    internal static Task CopyIncomeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<(int MemberId, int Year, MemberIncome Income)> years,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "insert into author_rights_years (member_id, year, amount, professional_income) values (@MemberId, @Year, @Amount, @ProfessionalIncome)",
            years.Select(y => new { y.MemberId, y.Year, Amount = y.Income.AuthorRights, y.Income.ProfessionalIncome }), transaction, cancellationToken: cancellationToken));


    /// <summary>Writes an invoice over the version read under the lock; a version that moved meanwhile is a bug, not a conflict, and throws.</summary>
    private static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Invoice invoice, int readVersion, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(Columns(invoice));
        parameters.Add("ReadVersion", readVersion);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            update invoices set version = @Version, status = @Status, number = @Number, date = @Date, due_date = @DueDate, production_unit_id = @ProductionUnitId,
                client_id = @ClientId, total = @Total, credit_note_for_id = @CreditNoteForId, document = @Document::jsonb
            where id = @Id and version = @ReadVersion
            """, parameters, transaction, cancellationToken: cancellationToken));
        if (updated != 1) throw new InvalidOperationException($"Invoice {invoice.Id} changed under its row lock.");
        await WriteEvaluationAsync(connection, transaction, invoice, cancellationToken);
    }

    private static Task WriteEvaluationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Invoice invoice, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            invoice.Evaluation is null
                ? "delete from invoice_evaluations where invoice_id = @Id"
                : """
                  insert into invoice_evaluations (invoice_id, evaluation) values (@Id, @Evaluation::jsonb)
                  on conflict (invoice_id) do update set evaluation = excluded.evaluation
                  """,
            new { invoice.Id, Evaluation = invoice.Evaluation is null ? null : PostgreSqlJson.Write(invoice.Evaluation) }, transaction, cancellationToken: cancellationToken));

    /// <summary>The row's columns; the document's evaluation is the list's summary, without the trace (kept in invoice_evaluations).</summary>
    private static object Columns(Invoice invoice) => new
    {
        invoice.Id, invoice.Country, invoice.Version, Status = invoice.Status.ToString(), invoice.Number, Date = Day(invoice.Date),
        DueDate = invoice.DueDate is { } due ? Day(due) : (DateTime?)null, invoice.ProductionUnitId, invoice.ClientId,
        Total = TotalOf(invoice), invoice.CreditNoteForId, Document = ListDocument(invoice),
    };

    private static decimal TotalOf(Invoice invoice) => invoice.Evaluation?.Totals.Gross ?? 0m;

    private static string ListDocument(Invoice invoice) =>
        PostgreSqlJson.Write(invoice with { Evaluation = invoice.Evaluation is null ? null : invoice.Evaluation with { Trace = [] } });

    /// <summary>
    /// The next number of a sequence (a country, or its credit notes) and year, taken in the caller's transaction. The upsert locks the
    /// counter's row until that transaction ends, so concurrent issues queue on it, from any instance; one that rolls back gives its number back.
    /// </summary>
    private static async Task<string> NextNumberAsync(Write write, string sequence, int year, CancellationToken cancellationToken)
    {
        var last = await write.Connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            insert into invoice_numbers (sequence, year, last) values (@sequence, @year, 1)
            on conflict (sequence, year) do update set last = invoice_numbers.last + 1
            returning last
            """, new { sequence, year }, write.Transaction, cancellationToken: cancellationToken));
        return string.Create(CultureInfo.InvariantCulture, $"{sequence}-{year}-{last:000000}");
    }

    /// <summary>The files of an invoice just issued and its e-invoice's outbox entry, in the issuing transaction; a second set fails the insert.</summary>
    private async Task StoreFilesAsync(Write write, Invoice issued, InvoiceFiles made, CancellationToken cancellationToken)
    {
        var files = made with { InvoiceId = issued.Id };
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into invoice_files (invoice_id, format, xml_file_name, xml, pdf_file_name, pdf)
            values (@InvoiceId, @Format, @XmlFileName, @Xml, @PdfFileName, @Pdf)
            """, files, write.Transaction, cancellationToken: cancellationToken));
        if (OutboxEntry.Generated(issued, files, clock.GetUtcNow().UtcDateTime) is { } entry)
            await PostgreSqlOutboxStore.InsertAsync(write.Connection, write.Transaction, entry, cancellationToken);
    }

    /// <summary>Adds to the member's income of the invoice's calendar year, audited on the member, in the caller's transaction.</summary>
    private async Task AddIncomeAsync(Write write, int memberId, Invoice invoice, MemberIncome income, AuditActor actor, CancellationToken cancellationToken)
    {
        if (income == MemberIncome.None) return;
        var year = invoice.Date.Year;
        // The upsert locks the member's row of the year: two issues for one member add up, never overwrite each other.
        var after = await write.Connection.QuerySingleAsync<(decimal Amount, decimal ProfessionalIncome)>(new CommandDefinition(
            """
            insert into author_rights_years (member_id, year, amount, professional_income) values (@memberId, @year, @amount, @professional)
            on conflict (member_id, year) do update
            set amount = author_rights_years.amount + excluded.amount, professional_income = author_rights_years.professional_income + excluded.professional_income
            returning amount, professional_income
            """, new { memberId, year, amount = income.AuthorRights, professional = income.ProfessionalIncome }, write.Transaction, cancellationToken: cancellationToken));
        var changes = new List<AuditChange>();
        var yearText = year.ToString(CultureInfo.InvariantCulture);
        if (income.AuthorRights != 0m)
            changes.Add(new AuditChange($"AuthorRightsIssued{yearText}", (after.Amount - income.AuthorRights).ToString(CultureInfo.InvariantCulture),
                after.Amount.ToString(CultureInfo.InvariantCulture)));
        if (income.ProfessionalIncome != 0m)
            changes.Add(new AuditChange($"ProfessionalIncomeIssued{yearText}", (after.ProfessionalIncome - income.ProfessionalIncome).ToString(CultureInfo.InvariantCulture),
                after.ProfessionalIncome.ToString(CultureInfo.InvariantCulture)));
        await PostgreSqlAuditLog.WriteAsync(write.Connection, write.Transaction, new AuditEntry(0, clock.GetUtcNow().UtcDateTime, actor.Name, AuditedEntity.Member,
            memberId.ToString(CultureInfo.InvariantCulture), invoice.Country, AuditAction.Update, changes), cancellationToken);
    }

    private static AuditEntry Entry(DateTime now, AuditActor actor, Invoice invoice, AuditAction action, IReadOnlyList<AuditChange> changes) =>
        new(0, now, actor.Name, AuditedEntity.Invoice, invoice.Id.ToString(CultureInfo.InvariantCulture), invoice.Country, action, changes);

    /// <summary>The list's filters as SQL; overdue is computed from the due date against today, as <see cref="Invoice.StatusOn(DateOnly)"/> does.</summary>
    private (string Where, DynamicParameters Parameters) Filter(InvoiceQuery query)
    {
        var parameters = new DynamicParameters();
        var conditions = new List<string> { "true" };
        void Add(string condition, string name, object? value)
        {
            conditions.Add(condition);
            parameters.Add(name, value);
        }
        if (query.Scope.Countries is { } scope) Add("i.country = any(@scope)", "scope", scope.ToArray());
        if (!string.IsNullOrWhiteSpace(query.Country)) Add("i.country = @country", "country", CountryCode.Normalise(query.Country));
        if (query.Status is { } status)
        {
            const string overdue = $"({AwaitsPayment} and i.due_date < @today::date)";
            parameters.Add("today", Day(DateOnly.FromDateTime(clock.GetLocalNow().DateTime)));
            Add(status switch
            {
                InvoiceStatus.Overdue => overdue,
                InvoiceStatus.Issued or InvoiceStatus.PartlyPaid => $"i.status = @status and not {overdue}",
                _ => "i.status = @status",
            }, "status", status.ToString());
        }
        if (query.From is { } from) Add("i.date >= @from::date", "from", Day(from));
        if (query.To is { } to) Add("i.date <= @to::date", "to", Day(to));
        if (query.ProductionUnitId is { } unit) Add("i.production_unit_id = @unit", "unit", unit);
        if (query.ClientId is { } client) Add("i.client_id = @client", "client", client);
        if (query.Total is { } total) Add("i.total = @total", "total", total);
        return ("where " + string.Join(" and ", conditions), parameters);
    }

    /// <summary>
    /// <see cref="Invoice.TotalAfterCredits"/> as SQL, what the list shows and sorts by: nothing once cancelled by credit notes, else the
    /// gross less its partial credit notes (the document's Credits). The total column stays the gross, which a search by amount matches.
    /// </summary>
    private const string TotalAfterCredits =
        "(case when i.status = 'CancelledByCreditNote' then 0 " +
        "else i.total - coalesce((select sum((c ->> 'Gross')::numeric) from jsonb_array_elements(" +
        "case jsonb_typeof(i.document -> 'Credits') when 'array' then i.document -> 'Credits' else '[]'::jsonb end) c), 0) end)";

    /// <summary>The asked order, then id; descending reverses both, as the LiteDB list does (a null number sorts first).</summary>
    private static string OrderBy(InvoiceQuery query)
    {
        var (column, nullable) = query.Sort switch
        {
            InvoiceSort.Number => ("i.number", true),
            InvoiceSort.Country => ("i.country", false),
            InvoiceSort.Total => (TotalAfterCredits, true),
            _ => ("i.date", false),
        };
        // Where the column has no null, no nulls clause: with one, PostgreSQL cannot walk an index backwards for the order and sorts instead.
        var nulls = !nullable ? "" : query.Descending ? " nulls last" : " nulls first";
        return query.Descending ? $"order by {column} desc{nulls}, i.id desc" : $"order by {column} asc{nulls}, i.id";
    }

    private static async Task<IReadOnlyList<Invoice>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object parameters,
        CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToInvoice()).ToList();
    }

    // Npgsql reads a date as DateTime; written the same way, DateOnly needs no type handler of Dapper's.
    private static DateTime Day(DateOnly day) => day.ToDateTime(TimeOnly.MinValue);

    private sealed class Row
    {
        public int Id { get; init; }
        public int Version { get; init; }
        public string Document { get; init; } = "";
        public string? Evaluation { get; init; }

        public Invoice ToInvoice()
        {
            var invoice = PostgreSqlJson.Read<Invoice>(Document) with { Id = Id, Version = Version };
            return Evaluation is null ? invoice : invoice with { Evaluation = PostgreSqlJson.Read<InvoiceEvaluation>(Evaluation) };
        }
    }
}
