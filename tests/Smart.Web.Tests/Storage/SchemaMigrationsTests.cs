using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Tests.Storage;

[Trait("Store", "Chosen")]
public sealed class SchemaMigrationsTests
{
    [Fact]
    public async Task Every_migration_is_applied_once_even_by_two_instances_starting_together()
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlServer.NewDatabase());
        var first = new SchemaMigrations(dataSource, NullLogger<SchemaMigrations>.Instance);
        var second = new SchemaMigrations(dataSource, NullLogger<SchemaMigrations>.Instance);

        var applied = await Task.WhenAll(first.ApplyAsync(), second.ApplyAsync());

        Assert.NotEmpty(SchemaMigrations.Known);
        Assert.Equal(SchemaMigrations.Known, applied.SelectMany(names => names).Order(StringComparer.Ordinal));
        Assert.Empty(await first.ApplyAsync());
        await using var count = dataSource.CreateCommand("select count(*) from schema_migrations");
        Assert.Equal((long)SchemaMigrations.Known.Count, await count.ExecuteScalarAsync());
    }
}
