using System.Reflection;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// The PostgreSQL schema, built by versioned migrations: the embedded files <c>Migrations/NNNN_name.sql</c>, applied once each in name
/// order and recorded in <c>schema_migrations</c>. Each runs in its own transaction, all under an advisory lock, so two instances
/// starting on one database at once apply each once (the second waits, then finds them recorded). Run at start-up and by <c>migrate</c>.
/// </summary>
public sealed class SchemaMigrations(NpgsqlDataSource dataSource, ILogger<SchemaMigrations> logger)
{
    private const string ResourcePrefix = "Smart.Web.Storage.PostgreSql.Migrations.";

    // Any constant shared by every instance: the key of the advisory lock that serialises migrating.
    private const long MigrationLock = 0x5_4d41_5254;

    /// <summary>The migrations this build carries, in the order they apply.</summary>
    public static IReadOnlyList<string> Known { get; } = typeof(SchemaMigrations).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
        .Select(name => name[ResourcePrefix.Length..^".sql".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Applies the migrations not yet recorded; returns their names.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "select pg_advisory_lock(@key)", ("key", MigrationLock), cancellationToken);
        try
        {
            await Execute(connection, "create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())",
                null, cancellationToken);
            foreach (var version in Known)
            {
                await using var recorded = new NpgsqlCommand("select 1 from schema_migrations where version = @version", connection);
                recorded.Parameters.AddWithValue("version", version);
                if (await recorded.ExecuteScalarAsync(cancellationToken) is not null) continue;
                // A migration and its record commit together: a failed one leaves no trace and is tried again at the next start.
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, Text(version), null, cancellationToken);
                await Execute(connection, "insert into schema_migrations (version) values (@version)", ("version", version), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied schema migration {Version}", version);
                applied.Add(version);
            }
        }
        finally
        {
            // The connection goes back to the pool still open: a session lock would outlive this call.
            await Execute(connection, "select pg_advisory_unlock(@key)", ("key", MigrationLock), CancellationToken.None);
        }
        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, (string Name, object Value)? parameter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is { } p) command.Parameters.AddWithValue(p.Name, p.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Text(string version)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + version + ".sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The command line's first argument that runs <see cref="RunCommandAsync"/> instead of the web app.</summary>
    public const string Command = "migrate";

    /// <summary>
    /// Applies the migrations to <c>ConnectionStrings:Smart</c> and says which, for an operator who migrates before starting the new
    /// version's instances (they would also migrate at start-up, one at a time). Returns the process's exit code.
    /// </summary>
    public static async Task<int> RunCommandAsync(IConfiguration configuration)
    {
        string? connectionString;
        try
        {
            connectionString = StorageServices.ServerConnectionString(configuration);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        if (connectionString is null)
        {
            await Console.Error.WriteLineAsync("migrate is for the server mode: set Smart__Storage=PostgreSql and ConnectionStrings__Smart (LiteDB needs no migration).");
            return 2;
        }
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole());
        var applied = await new SchemaMigrations(dataSource, logging.CreateLogger<SchemaMigrations>()).ApplyAsync();
        Console.WriteLine(applied.Count == 0
            ? $"The schema is up to date ({Known.Count} migrations)."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}.");
        return 0;
    }
}
