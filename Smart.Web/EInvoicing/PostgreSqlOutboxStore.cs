using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.EInvoicing;

/// <summary>
/// The outbox in PostgreSQL (table <c>einvoice_outbox</c>), one row per invoice, inserted by the invoice store in the issuing transaction
/// (<see cref="InsertAsync"/>). Each change is one <c>update … where status = @expected and attempt = @attempt</c>: two runs of the job,
/// on two instances, never both mark the same hand-over.
/// </summary>
public sealed class PostgreSqlOutboxStore(NpgsqlDataSource dataSource) : IOutboxStore
{
    internal static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEntry entry, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "insert into einvoice_outbox (invoice_id, country, status, attempt, document) values (@InvoiceId, @Country, @Status, @Attempt, @Document::jsonb)",
            new { entry.InvoiceId, Country = CountryCode.Normalise(entry.Country), Status = entry.Status.ToString(), entry.Attempt, Document = PostgreSqlJson.Write(entry) },
            transaction, cancellationToken: cancellationToken));

    public async Task<OutboxEntry?> GetAsync(int invoiceId, CancellationToken cancellationToken = default) =>
        (await ReadAsync("where invoice_id = @invoiceId", new { invoiceId }, cancellationToken)).SingleOrDefault();

    public async Task<SearchResult<OutboxEntry>> SearchAsync(OutboxQuery query, CancellationToken cancellationToken = default)
    {
        if (query.Scope.Countries is { Count: 0 }) return SearchResult<OutboxEntry>.Empty;
        const string where = """
            where (@scope::text[] is null or country = any(@scope)) and (@country::text is null or country = @country)
              and (@status::text is null or status = @status)
            """;
        var parameters = new
        {
            scope = query.Scope.Countries?.ToArray(), country = string.IsNullOrWhiteSpace(query.Country) ? null : CountryCode.Normalise(query.Country),
            status = query.Status?.ToString(), skip = (Math.Max(query.Page, 1) - 1) * query.Take, take = query.Take,
        };
        var rows = await ReadAsync($"{where} order by invoice_id desc offset @skip limit @take", parameters, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select count(*) from einvoice_outbox {where}", parameters, cancellationToken: cancellationToken));
        return new SearchResult<OutboxEntry>(rows, total);
    }

    public Task<IReadOnlyList<OutboxEntry>> WithStatusAsync(OutboxStatus status, CancellationToken cancellationToken = default) =>
        ReadAsync("where status = @status order by invoice_id", new { status = status.ToString() }, cancellationToken);

    public Task<bool> MarkHandedOverAsync(int invoiceId, int attempt, DateTime at, CancellationToken cancellationToken = default) =>
        ChangeAsync(invoiceId, OutboxStatus.Generated, attempt, e => e with { Status = OutboxStatus.HandedOver, HandedOverAt = at }, cancellationToken);

    public Task<bool> AnswerAsync(int invoiceId, int attempt, bool delivered, string? reason, DateTime at, CancellationToken cancellationToken = default) =>
        ChangeAsync(invoiceId, OutboxStatus.HandedOver, attempt,
            e => e with { Status = delivered ? OutboxStatus.Delivered : OutboxStatus.Rejected, Reason = reason, AnsweredAt = at }, cancellationToken);

    public Task<bool> RetryAsync(int invoiceId, CancellationToken cancellationToken = default) =>
        ChangeAsync(invoiceId, OutboxStatus.Rejected, null,
            e => e with { Status = OutboxStatus.Generated, Attempt = e.Attempt + 1, HandedOverAt = null, AnsweredAt = null, Reason = null }, cancellationToken);

    /// <summary>Changes the entry only if it is still in <paramref name="expected"/> (and at <paramref name="attempt"/>), under its row lock.</summary>
    private async Task<bool> ChangeAsync(int invoiceId, OutboxStatus expected, int? attempt, Func<OutboxEntry, OutboxEntry> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var document = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select document::text from einvoice_outbox where invoice_id = @invoiceId and status = @expected and (@attempt::integer is null or attempt = @attempt) for update",
            new { invoiceId, expected = expected.ToString(), attempt }, transaction, cancellationToken: cancellationToken));
        if (document is null) return false;
        var changed = change(PostgreSqlJson.Read<OutboxEntry>(document));
        await connection.ExecuteAsync(new CommandDefinition(
            "update einvoice_outbox set status = @Status, attempt = @Attempt, document = @Document::jsonb where invoice_id = @InvoiceId",
            new { changed.InvoiceId, Status = changed.Status.ToString(), changed.Attempt, Document = PostgreSqlJson.Write(changed) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<IReadOnlyList<OutboxEntry>> ReadAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var documents = await connection.QueryAsync<string>(new CommandDefinition($"select document::text from einvoice_outbox {where}", parameters,
            cancellationToken: cancellationToken));
        return documents.Select(PostgreSqlJson.Read<OutboxEntry>).ToList();
    }
}
