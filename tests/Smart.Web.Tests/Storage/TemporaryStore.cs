using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

/// <summary>The directory stores on a real LiteDB file in a fresh temporary directory, opened as the app opens it.</summary>
public sealed class TemporaryStore : IDirectoryStores, IDisposable
{
    public TemporaryStore()
    {
        File = new LiteDbFile(DataDirectory);
        Database = File.Database;
        Audit = new LiteDbAuditLog(Database);
        Members = new LiteDbMemberStore(Database, Audit, TimeProvider.System);
        ProductionUnits = new LiteDbProductionUnitStore(Database, Audit, TimeProvider.System);
        Clients = new LiteDbClientStore(Database, Audit, TimeProvider.System);
    }

    public string DataDirectory { get; } = SmartWebFactory.NewDataDirectory();
    public LiteDbFile File { get; }
    public LiteDatabase Database { get; }
    public LiteDbAuditLog Audit { get; }
    public LiteDbMemberStore Members { get; }
    public LiteDbProductionUnitStore ProductionUnits { get; }
    public LiteDbClientStore Clients { get; }

    IMemberStore IDirectoryStores.Members => Members;
    IProductionUnitStore IDirectoryStores.ProductionUnits => ProductionUnits;
    IClientStore IDirectoryStores.Clients => Clients;
    IAuditLog IDirectoryStores.Audit => Audit;

    public static readonly AuditActor Adviser = new("adviser@smart.test");

    public void Dispose()
    {
        File.Dispose();
        SmartWebFactory.DeleteQuietly(DataDirectory);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
