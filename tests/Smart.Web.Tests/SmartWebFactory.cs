using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Demo;

namespace Smart.Web.Tests;

/// <summary>
/// The real app on a fresh store, with the repository's rule sets and built plugins. The store is LiteDB in a new data directory,
/// or, when the run sets <c>SMART_TEST_STORAGE=PostgreSql</c> (<c>./test.sh</c>'s second pass), a new database of the test
/// PostgreSQL server: the same tests then prove server mode. Tests that restart on one data directory stay on LiteDB.
/// </summary>
public sealed class SmartWebFactory : WebApplicationFactory<Program>
{
    /// <summary>Whether this run's apps use PostgreSQL unless a test chooses (<c>SMART_TEST_STORAGE=PostgreSql</c>); LiteDB otherwise.</summary>
    public static bool RunsOnPostgreSql { get; } =
        string.Equals(Environment.GetEnvironmentVariable("SMART_TEST_STORAGE"), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    private readonly bool ownsDataDirectory;
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly string? ownedDatabase;

    /// <summary>
    /// Limits far above what any test class sends in a minute: every request of the in-memory server comes from the same (no)
    /// address, and a class signs in the same demo accounts many times. RateLimitTests lowers them to see the limits work.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TestRateLimits = new Dictionary<string, string>
    {
        ["Smart:RateLimits:SignInPerAddress"] = "100000", ["Smart:RateLimits:SignInPerAccount"] = "100000",
        ["Smart:RateLimits:ApiPerAddress"] = "100000", ["Smart:RateLimits:ApiPerKey"] = "100000",
    };

    public SmartWebFactory() : this(NewDataDirectory(), ownsDataDirectory: true) { }

    /// <summary>An app on its own data directory with these settings over the tests' usual ones (e.g. low rate limits).</summary>
    public static SmartWebFactory WithSettings(IReadOnlyDictionary<string, string> settings) => new(NewDataDirectory(), ownsDataDirectory: true, settings);

    /// <summary>An app in server mode on a new, empty PostgreSQL database of the test server (its data directory still holds files and keys).</summary>
    public static SmartWebFactory OnPostgreSql() => OnPostgreSql(Storage.PostgreSqlServer.NewDatabase());

    /// <summary>An app in server mode on this PostgreSQL database: two of these on one database are two instances of one intranet.</summary>
    public static SmartWebFactory OnPostgreSql(string connectionString) => OnPostgreSql(connectionString, new Dictionary<string, string>());

    /// <summary>An instance on this PostgreSQL database with these settings over the tests' usual ones.</summary>
    public static SmartWebFactory OnPostgreSql(string connectionString, IReadOnlyDictionary<string, string> settings) => new(NewDataDirectory(), ownsDataDirectory: true,
        new Dictionary<string, string>(settings) { ["Smart:Storage"] = "PostgreSql", ["ConnectionStrings:Smart"] = connectionString });

    /// <summary>
    /// The e-invoice outbox's run never scheduled (31 February): a test that compares two stores, or counts what waits in the outbox,
    /// is not raced by the minutely run handing documents over.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NoDelivery = new Dictionary<string, string> { ["Smart:EInvoicing:DeliveryCron"] = "0 0 31 2 *" };

    /// <summary>The demo's invoices, contracts and bank statement seeded, as on a first start outside the tests.</summary>
    public static readonly IReadOnlyDictionary<string, string> DemoDocuments = new Dictionary<string, string> { [DocumentDemoSeed.Setting] = "true" };

    /// <summary>An app on a data directory the caller owns and deletes, to start twice on the same store.</summary>
    public static SmartWebFactory OnDataDirectory(string dataDirectory) => new(dataDirectory, ownsDataDirectory: false);

    /// <summary>An app on a data directory the caller owns, with these settings over the tests' usual ones.</summary>
    public static SmartWebFactory OnDataDirectory(string dataDirectory, IReadOnlyDictionary<string, string> settings) => new(dataDirectory, ownsDataDirectory: false, settings);

    private SmartWebFactory(string dataDirectory, bool ownsDataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory;
        this.ownsDataDirectory = ownsDataDirectory;
        settings ??= new Dictionary<string, string>();
        if (RunsOnPostgreSql && ownsDataDirectory && !settings.ContainsKey("Smart:Storage"))
        {
            ownedDatabase = Storage.PostgreSqlServer.NewDatabase();
            settings = new Dictionary<string, string>(settings) { ["Smart:Storage"] = "PostgreSql", ["ConnectionStrings:Smart"] = ownedDatabase };
        }
        this.settings = settings;
    }

    public string DataDirectory { get; }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "smart-web-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Smart:DataDirectory", DataDirectory);
        builder.UseSetting("Smart:RulesDirectory", Path.Combine(Repo.Root, "rules"));
        builder.UseSetting("Smart:PluginsDirectory", Path.Combine(Repo.Root, "artifacts", "plugins"));
        // A prepared draft (rule-drafts/) is submitted at start with its impact simulation queued, which would run ahead of a
        // test's own on the simulations queue: none here; RuleSetSeedTests arranges one.
        builder.UseSetting("Smart:RuleDraftsDirectory", Path.Combine(DataDirectory, "no-prepared-drafts"));
        foreach (var (key, value) in TestRateLimits) builder.UseSetting(key, value);
        // Seconds of issuing at every start: only the tests that look at the demo documents ask for them (DemoDocuments).
        builder.UseSetting(DocumentDemoSeed.Setting, "false");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    /// <summary>A client that sends the given API key, or none.</summary>
    public HttpClient ClientWithKey(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        return client;
    }

    public HttpClient DemoPartner() => ClientWithKey(DemoSeed.DemoPartnerKey);

    /// <summary>Issues a key in the app's own store and returns it in clear.</summary>
    public async Task<string> IssueKeyAsync(string name, IReadOnlyList<string>? countries, bool revoked = false)
    {
        var secret = ApiKey.NewSecret();
        var store = Services.GetRequiredService<IApiKeyStore>();
        await store.AddAsync(new ApiKey(Guid.NewGuid(), name, ApiKey.HashOf(secret), countries, DateTime.UtcNow, revoked));
        return secret;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsDataDirectory) DeleteQuietly(DataDirectory);
        if (disposing && ownedDatabase is not null) Storage.PostgreSqlServer.DropQuietly(ownedDatabase);
    }

    public static void DeleteQuietly(string directory)
    {
        try { if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); }
        catch (IOException) { } // a temp directory left behind must not fail a test
    }
}

public static class Repo
{
    /// <summary>The folder holding Smart.Intranet.sln, found from the test's output directory.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Smart.Intranet.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Smart.Intranet.sln above {AppContext.BaseDirectory}.");
    }
}
