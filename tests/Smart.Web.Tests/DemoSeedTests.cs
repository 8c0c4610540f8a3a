using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Tests;

public class DemoSeedTests
{
    [Fact]
    public async Task Demo_partner_key_is_seeded_once_on_an_empty_store()
    {
        var dataDirectory = SmartWebFactory.NewDataDirectory();
        try
        {
            for (var start = 0; start < 2; start++)
            {
                using var app = SmartWebFactory.OnDataDirectory(dataDirectory);
                using var client = app.DemoPartner();
                var response = await client.PostJsonAsync(Http.InvoicePath, "");
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            using var restarted = SmartWebFactory.OnDataDirectory(dataDirectory);
            var keys = await restarted.Services.GetRequiredService<IApiKeyStore>().ListAsync();
            var key = Assert.Single(keys);
            Assert.Equal("Demo partner portal", key.Name);
            Assert.Null(key.Countries);
            Assert.Equal(ApiKey.HashOf(DemoSeed.DemoPartnerKey), key.KeyHash);
            Assert.True(File.Exists(Path.Combine(dataDirectory, StorageServices.DatabaseFileName)));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(dataDirectory);
        }
    }

    [Fact]
    public async Task Revoked_demo_key_stays_revoked_after_a_restart()
    {
        var dataDirectory = SmartWebFactory.NewDataDirectory();
        try
        {
            using (var first = SmartWebFactory.OnDataDirectory(dataDirectory))
            {
                var store = first.Services.GetRequiredService<IApiKeyStore>();
                var demo = await store.FindByHashAsync(ApiKey.HashOf(DemoSeed.DemoPartnerKey));
                await store.RevokeAsync(demo!.Id);
            }

            using var restarted = SmartWebFactory.OnDataDirectory(dataDirectory);
            using var client = restarted.DemoPartner();
            var response = await client.PostJsonAsync(Http.InvoicePath, Documents.BelgianTrainingInvoice);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(dataDirectory);
        }
    }

    [Fact]
    public async Task Only_the_hash_of_a_key_is_stored()
    {
        using var app = new SmartWebFactory();
        _ = app.Services;
        if (SmartWebFactory.RunsOnPostgreSql)
        {
            var database = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
            await using var holders = database.CreateCommand(
                "select (select count(*) from api_keys k where row_to_json(k)::text like '%' || $1 || '%') + (select count(*) from audit a where row_to_json(a)::text like '%' || $1 || '%')");
            holders.Parameters.Add(new Npgsql.NpgsqlParameter { Value = DemoSeed.DemoPartnerKey });
            Assert.True((long)(await database.CreateCommand("select count(*) from api_keys").ExecuteScalarAsync())! > 0, "No key was seeded.");
            Assert.Equal(0L, (long)(await holders.ExecuteScalarAsync())!);
            return;
        }
        // LiteDB may still hold the write in its log file beside smart.db: look in every file of the store.
        // (The owner's lock file holds nothing and cannot be read while the app holds it.)
        foreach (var file in Directory.GetFiles(app.DataDirectory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != LiteDbFile.LockFileName))
            Assert.DoesNotContain(DemoSeed.DemoPartnerKey, System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file)));
    }
}
