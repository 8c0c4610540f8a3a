using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;

namespace Smart.Web.Tests.Storage;

/// <summary>One audit log contract, run on both stores.</summary>
public abstract class AuditLogContract
{
    protected abstract Task<IAuditLog> OpenAsync();

    [Fact]
    public async Task A_records_history_is_newest_first_and_a_countrys_changes_are_paged()
    {
        var audit = await OpenAsync();
        var at = new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 3; i++)
        {
            await audit.WriteAsync(new AuditEntry(0, at.AddMinutes(i), "staff@smart.coop", AuditedEntity.Member, "7", "be", AuditAction.Update,
                [new AuditChange("Email", $"old{i}@example.be", $"new{i}@example.be")]));
        }
        await audit.WriteAsync(new AuditEntry(0, at, "staff@smart.coop", AuditedEntity.Client, "3", "FR", AuditAction.Create, [new AuditChange("Name", null, "Atelier")]));

        var history = await audit.ForEntityAsync(AuditedEntity.Member, "7");
        var page = await audit.ForCountryAsync("BE", skip: 1, take: 1);

        Assert.Equal(["new2@example.be", "new1@example.be", "new0@example.be"], history.Select(e => e.Changes.Single().After));
        Assert.Equal(at.AddMinutes(2), history[0].AtUtc);
        Assert.Equal(DateTimeKind.Utc, history[0].AtUtc.Kind);
        Assert.Equal("BE", history[0].Country);
        Assert.Equal(3, page.Total);
        Assert.Equal("new1@example.be", page.Rows.Single().Changes.Single().After);
        Assert.Null((await audit.ForEntityAsync(AuditedEntity.Client, "3")).Single().Changes.Single().Before);
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbAuditLogTests : AuditLogContract, IDisposable
{
    private readonly TemporaryStore store = new();

    protected override Task<IAuditLog> OpenAsync() => Task.FromResult<IAuditLog>(store.Audit);

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlAuditLogTests : AuditLogContract, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(PostgreSqlServer.NewDatabase());

    protected override async Task<IAuditLog> OpenAsync()
    {
        await new SchemaMigrations(dataSource, NullLogger<SchemaMigrations>.Instance).ApplyAsync();
        return new PostgreSqlAuditLog(dataSource);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
