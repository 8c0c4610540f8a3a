using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Tests.Storage;

namespace Smart.Web.Tests.ServerMode;

/// <summary>
/// Two instances started at the same instant on one empty database, as an orchestrator starts a new deployment: the schema,
/// the demo seeds and the key ring are made once, and both instances come up.
/// </summary>
[Trait("Store", "Chosen")]
public sealed class SimultaneousStartTests
{
    [Fact]
    public async Task Two_instances_starting_together_on_an_empty_database_seed_it_once()
    {
        var database = PostgreSqlServer.NewDatabase();
        using var first = SmartWebFactory.OnPostgreSql(database);
        using var second = SmartWebFactory.OnPostgreSql(database);
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        using var alone = SmartWebFactory.OnPostgreSql();
        Assert.Equal(await CountsAsync(alone), await CountsAsync(first));
        Assert.Equal(await CountsAsync(alone), await CountsAsync(second));
    }

    private static async Task<string> CountsAsync(SmartWebFactory app)
    {
        var services = app.Services;
        var members = await services.GetRequiredService<IMemberStore>().SearchAsync(new MemberQuery(CountryScope.All) { Take = 1 });
        var units = await services.GetRequiredService<IProductionUnitStore>().SearchAsync(new ProductionUnitQuery(CountryScope.All) { Take = 1 });
        var clients = await services.GetRequiredService<IClientStore>().SearchAsync(new ClientQuery(CountryScope.All) { Take = 1 });
        var accounts = await services.GetRequiredService<IAccountStore>().ListAsync();
        var keys = await services.GetRequiredService<IApiKeyStore>().ListAsync();
        return $"members {members.Total}, units {units.Total}, clients {clients.Total}, accounts {accounts.Count}, keys {keys.Count}";
    }
}
