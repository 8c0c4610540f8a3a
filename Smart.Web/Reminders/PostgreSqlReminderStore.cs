using Dapper;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Reminders;

/// <summary>
/// Reminders keyed by invoice and step: <c>insert … on conflict do nothing</c> on that primary key records each step once, whichever
/// instance's run (or a run repeated after a restart) gets there first.
/// </summary>
public sealed class PostgreSqlReminderStore(NpgsqlDataSource dataSource, TimeProvider clock) : IReminderStore
{
    public async Task<bool> TryRecordAsync(PaymentReminder reminder, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into reminders (invoice_id, step, country, recorded_at, document) values (@InvoiceId, @Step, @Country, @RecordedAt, @Document::jsonb)
            on conflict (invoice_id, step) do nothing
            """,
            new { reminder.InvoiceId, reminder.Step, Country = CountryCode.Normalise(reminder.Country), RecordedAt = clock.GetUtcNow().UtcDateTime, Document = PostgreSqlJson.Write(reminder) },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<IReadOnlyList<PaymentReminder>> ForInvoiceAsync(int invoiceId, CancellationToken cancellationToken = default) =>
        await ReadAsync("where invoice_id = @invoiceId order by step", new { invoiceId }, cancellationToken);

    public async Task<SearchResult<PaymentReminder>> SearchAsync(CountryScope scope, int skip, int take, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return SearchResult<PaymentReminder>.Empty;
        const string where = "where (@scope::text[] is null or country = any(@scope))";
        var parameters = new { scope = scope.Countries?.ToArray(), skip = Math.Max(0, skip), take = Math.Clamp(take, 0, 1000) };
        var rows = await ReadAsync($"{where} order by recorded_at desc, invoice_id desc, step desc offset @skip limit @take", parameters, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"select count(*) from reminders {where}", parameters, cancellationToken: cancellationToken));
        return new SearchResult<PaymentReminder>(rows, total);
    }

    public Task BeginRunAsync(DateOnly day, CancellationToken cancellationToken = default) => MarkRunAsync(day, ReminderRunStatus.Running, cancellationToken);

    public Task FinishRunAsync(DateOnly day, CancellationToken cancellationToken = default) => MarkRunAsync(day, ReminderRunStatus.Done, cancellationToken);

    private async Task MarkRunAsync(DateOnly day, ReminderRunStatus status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into reminder_runs (day, status) values (@day::date, @status) on conflict (day) do update set status = excluded.status",
            new { day = day.ToDateTime(TimeOnly.MinValue), status = status.ToString() }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ReminderRun>> UnfinishedRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var days = await connection.QueryAsync<DateTime>(new CommandDefinition("select day from reminder_runs where status = 'Running' order by day",
            cancellationToken: cancellationToken));
        return days.Select(day => new ReminderRun(DateOnly.FromDateTime(day), ReminderRunStatus.Running)).ToList();
    }

    private async Task<IReadOnlyList<PaymentReminder>> ReadAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var documents = await connection.QueryAsync<string>(new CommandDefinition($"select document::text from reminders {where}", parameters, cancellationToken: cancellationToken));
        return documents.Select(PostgreSqlJson.Read<PaymentReminder>).ToList();
    }
}
