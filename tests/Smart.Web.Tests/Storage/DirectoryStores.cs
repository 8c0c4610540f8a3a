using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.PostgreSql;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

/// <summary>The directory stores a contract test runs on: LiteDB (<see cref="TemporaryStore"/>) or PostgreSQL (<see cref="PostgreSqlDirectory"/>).</summary>
public interface IDirectoryStores : IAsyncDisposable
{
    IMemberStore Members { get; }
    IProductionUnitStore ProductionUnits { get; }
    IClientStore Clients { get; }
    IAuditLog Audit { get; }
}

/// <summary>The directory stores on a fresh PostgreSQL database of the test server, migrated as the app migrates it.</summary>
public sealed class PostgreSqlDirectory : IDirectoryStores
{
    private PostgreSqlDirectory(NpgsqlDataSource dataSource)
    {
        DataSource = dataSource;
        Members = new PostgreSqlMemberStore(dataSource, TimeProvider.System);
        ProductionUnits = new PostgreSqlProductionUnitStore(dataSource, TimeProvider.System);
        Clients = new PostgreSqlClientStore(dataSource, TimeProvider.System);
        Audit = new PostgreSqlAuditLog(dataSource);
    }

    public NpgsqlDataSource DataSource { get; }
    public IMemberStore Members { get; }
    public IProductionUnitStore ProductionUnits { get; }
    public IClientStore Clients { get; }
    public IAuditLog Audit { get; }

    public static async Task<PostgreSqlDirectory> OpenAsync()
    {
        var dataSource = NpgsqlDataSource.Create(PostgreSqlServer.NewDatabase());
        await new SchemaMigrations(dataSource, NullLogger<SchemaMigrations>.Instance).ApplyAsync();
        return new PostgreSqlDirectory(dataSource);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
