using Dapper;
using Npgsql;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.RuleSets;

/// <summary>
/// Rule-set versions in <c>rule_set_versions</c>: each step locks its version's row, and a publication also supersedes the version in force
/// (one published per rule set, by a unique index) and notifies <see cref="InstanceNotifications.RuleSetPublished"/> when it commits, so every
/// instance rebuilds its rule book.
/// </summary>
public sealed class PostgreSqlRuleSetStore(NpgsqlDataSource dataSource, TimeProvider clock) : IRuleSetStore
{
    private const string Select = "select id, document::text as document from rule_set_versions";

    public async Task<IReadOnlyList<RuleSetVersion>> InForceAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"{Select} where status = 'Published' order by key collate \"C\"", null, cancellationToken);

    public async Task<IReadOnlyList<RuleSetVersion>> KnownOnAsync(DateTime instantUtc, CancellationToken cancellationToken = default) =>
        await QueryAsync(
            $"""
            select distinct on (key collate "C") id, document::text as document from rule_set_versions
            where published_at_utc <= @instant order by key collate "C", published_at_utc desc, number desc
            """,
            new { instant = DateTime.SpecifyKind(instantUtc, DateTimeKind.Utc) }, cancellationToken);

    public async Task<RuleSetVersion?> InForceAsync(string key, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} where key = @key and status = 'Published'", new { key }, cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<RuleSetVersion>> HistoryAsync(string key, CancellationToken cancellationToken = default) =>
        await QueryAsync($"{Select} where key = @key order by number desc", new { key }, cancellationToken);

    public async Task<RuleSetVersion?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} where id = @id", new { id }, cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<RuleSetVersion>> PendingAsync(CountryScope scope, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return [];
        return await QueryAsync(
            $"{Select} where status in ('Draft', 'Submitted', 'Returned') and (@all or upper(country) = any(@countries)) order by id desc",
            new { all = scope.IsAll, countries = scope.Countries?.ToArray() ?? [] }, cancellationToken);
    }

    public async Task<int> SeedAsync(IEnumerable<(string Key, string Country, string Topic, string Text)> files, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Instances starting together seed one at a time: the second finds the first's versions.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext('rule_set_versions seed'))", transaction: transaction, cancellationToken: cancellationToken));
        var added = 0;
        foreach (var (key, country, topic, text) in files)
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists (select 1 from rule_set_versions where key = @key)", new { key }, transaction,
                cancellationToken: cancellationToken))) continue;
            var version = RuleSetSteps.Seeded(key, country, topic, text, actor, Now);
            await InsertAsync(connection, transaction, version, actor, RuleSetSteps.SeededChanges(version), cancellationToken);
            added++;
        }
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<RuleSetVersion> AddDraftAsync(string key, string country, string topic, string text, int? basedOnId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Two drafts of one rule set at once take numbers one after the other.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext(@key))", new { key }, transaction, cancellationToken: cancellationToken));
        var last = await connection.ExecuteScalarAsync<int>(new CommandDefinition("select coalesce(max(number), 0) from rule_set_versions where key = @key", new { key }, transaction,
            cancellationToken: cancellationToken));
        var basedOn = basedOnId is { } b ? (await QueryAsync(connection, transaction, $"{Select} where id = @b", new { b }, cancellationToken)).FirstOrDefault() : null;
        var draft = RuleSetSteps.Draft(key, country, topic, text, basedOnId, last + 1, actor, Now);
        var stored = await InsertAsync(connection, transaction, draft, actor, RuleSetSteps.DraftChanges(basedOn), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public Task<UpdateOutcome<RuleSetVersion>> SaveDraftAsync(int id, string text, int expectedRevision, AuditActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (_, _, v) => Task.FromResult(RuleSetSteps.SaveDraft(text, expectedRevision, actor, Now)(v)), cancellationToken);

    public Task<UpdateOutcome<RuleSetVersion>> SubmitAsync(int id, string reason, AuditActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (_, _, v) => Task.FromResult(RuleSetSteps.Submit(reason, actor, Now)(v)), cancellationToken);

    public Task<UpdateOutcome<RuleSetVersion>> DiscardAsync(int id, AuditActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (_, _, v) => Task.FromResult(RuleSetSteps.Discard(actor, Now)(v)), cancellationToken);

    public Task<UpdateOutcome<RuleSetVersion>> ReturnAsync(int id, string comment, AuditActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (_, _, v) => Task.FromResult(RuleSetSteps.Return(comment, actor, Now)(v)), cancellationToken);

    public Task<UpdateOutcome<RuleSetVersion>> PublishAsync(int id, string? comment, AuditActor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, async (connection, transaction, v) =>
        {
            if (RuleSetSteps.Publish(v, comment, actor, Now) is not { } published) return null;
            foreach (var previous in await QueryAsync(connection, transaction, $"{Select} where key = @key and status = 'Published' for update", new { key = v.Key }, cancellationToken))
            {
                var superseded = RuleSetSteps.Superseded(previous);
                await WriteAsync(connection, transaction, superseded, cancellationToken);
                await PostgreSqlAuditLog.WriteAsync(connection, transaction, RuleSetSteps.Entry(superseded, actor, AuditAction.Update, RuleSetSteps.SupersededChanges(v), Now),
                    cancellationToken);
            }
            // Delivered to the listening instances only if this transaction commits.
            await connection.ExecuteAsync(new CommandDefinition("select pg_notify(@channel, @key)", new { channel = InstanceNotifications.RuleSetPublished, key = v.Key }, transaction,
                cancellationToken: cancellationToken));
            return published;
        }, cancellationToken);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private async Task<UpdateOutcome<RuleSetVersion>> ChangeAsync(int id, AuditActor actor,
        Func<NpgsqlConnection, NpgsqlTransaction, RuleSetVersion, Task<RuleSetVersion?>> step, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row lock makes "is it still submitted?" and the write one step: two approvers cannot both publish.
        if ((await QueryAsync(connection, transaction, $"{Select} where id = @id for update", new { id }, cancellationToken)).FirstOrDefault() is not { } stored)
            return UpdateOutcome<RuleSetVersion>.Missing;
        if (await step(connection, transaction, stored) is not { } changed) return UpdateOutcome<RuleSetVersion>.Conflict(stored);
        await WriteAsync(connection, transaction, changed, cancellationToken);
        await PostgreSqlAuditLog.WriteAsync(connection, transaction, RuleSetSteps.Entry(changed, actor, AuditAction.Update, RuleSetSteps.Changes(stored, changed), Now),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return UpdateOutcome<RuleSetVersion>.Saved(changed);
    }

    private async Task<RuleSetVersion> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RuleSetVersion version, AuditActor actor,
        IReadOnlyList<AuditChange> changes, CancellationToken cancellationToken)
    {
        var id = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            insert into rule_set_versions (key, country, number, status, published_at_utc, document)
            values (@Key, @Country, @Number, @Status, @PublishedAtUtc, '{}'::jsonb) returning id
            """, Columns(version), transaction, cancellationToken: cancellationToken));
        var stored = version with { Id = id };
        await WriteAsync(connection, transaction, stored, cancellationToken);
        await PostgreSqlAuditLog.WriteAsync(connection, transaction, RuleSetSteps.Created(stored, actor, changes, Now), cancellationToken);
        return stored;
    }

    private static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RuleSetVersion version, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "update rule_set_versions set status = @Status, published_at_utc = @PublishedAtUtc, document = @Document::jsonb where id = @Id",
            Columns(version), transaction, cancellationToken: cancellationToken));

    internal static object Columns(RuleSetVersion v) => new
    {
        v.Id, v.Key, v.Country, v.Number, Status = v.Status.ToString(),
        PublishedAtUtc = v.PublishedAtUtc is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null, Document = PostgreSqlJson.Write(v),
    };

    private async Task<List<RuleSetVersion>> QueryAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, sql, parameters, cancellationToken);
    }

    private static async Task<List<RuleSetVersion>> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object? parameters,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(int Id, string Document)>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)))
            .Select(row => PostgreSqlJson.Read<RuleSetVersion>(row.Document) with { Id = row.Id }).ToList();
}
