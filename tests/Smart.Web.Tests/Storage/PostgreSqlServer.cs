using System.Diagnostics;
using Npgsql;

namespace Smart.Web.Tests.Storage;

/// <summary>
/// The PostgreSQL server the server-mode tests run on: the one <c>./test.sh</c> started (<c>SMART_TEST_POSTGRES</c>), or else a
/// throwaway cluster this test run starts with <c>./postgres.sh</c> and stops when the run ends. Each test takes a database of its own.
/// </summary>
public static class PostgreSqlServer
{
    private static readonly Lazy<string> Server = new(Start);

    /// <summary>A connection string to a new, empty database on the test server.</summary>
    public static string NewDatabase()
    {
        var name = "smart_test_" + Guid.NewGuid().ToString("N");
        using (var connection = new NpgsqlConnection(Server.Value))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"create database {name}", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString;
    }

    /// <summary>
    /// Drops a test database once its app is gone, so a pass of the whole suite on PostgreSQL does not leave hundreds behind
    /// on the throwaway cluster's disk. Failing to drop must not fail a test.
    /// </summary>
    public static void DropQuietly(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        try
        {
            using var connection = new NpgsqlConnection(Server.Value);
            connection.Open();
            using var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException) { }
    }

    private static string Start()
    {
        var given = Environment.GetEnvironmentVariable("SMART_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(given)) return given;
        var directory = Path.Combine(Path.GetTempPath(), "smart-test-postgres-" + Guid.NewGuid().ToString("N"));
        var connection = Script("start", directory).Trim();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Script("stop", directory);
        return connection;
    }

    private static string Script(string command, string directory)
    {
        using var script = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "postgres.sh"), command, directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = script.StandardOutput.ReadToEnd();
        var errors = script.StandardError.ReadToEnd();
        script.WaitForExit();
        if (script.ExitCode != 0) throw new InvalidOperationException($"./postgres.sh {command} failed ({script.ExitCode}): {errors}");
        return output;
    }
}
