using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Tests.Storage;

/// <summary>A fresh database on the test server with the app's schema, for the PostgreSQL side of a store contract (as TemporaryStore is for LiteDB's).</summary>
public sealed class TemporaryDatabase : IDisposable
{
    public TemporaryDatabase()
    {
        ConnectionString = PostgreSqlServer.NewDatabase();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        new SchemaMigrations(DataSource, NullLogger<SchemaMigrations>.Instance).ApplyAsync().GetAwaiter().GetResult();
        Audit = new PostgreSqlAuditLog(DataSource);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public PostgreSqlAuditLog Audit { get; }

    /// <summary>Runs one statement on the database, as psql would: for a test that must write what the store never does.</summary>
    public void Execute(string sql)
    {
        using var command = DataSource.CreateCommand(sql);
        command.ExecuteNonQuery();
    }

    public void Dispose() => DataSource.Dispose();
}
