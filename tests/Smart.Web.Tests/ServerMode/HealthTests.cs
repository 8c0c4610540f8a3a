using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Smart.Web.Storage;

namespace Smart.Web.Tests.ServerMode;

/// <summary><c>/health</c> in the embedded mode: the LiteDB file is the database it reports (the server mode's: TwoInstanceTests).</summary>
public sealed class HealthTests(SmartWebFactory app) : IClassFixture<SmartWebFactory>
{
    [Fact]
    public async Task Health_answers_anyone_with_the_data_files_status_only()
    {
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync(StorageHealth.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"Healthy","checks":{"database":"Healthy"}}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
