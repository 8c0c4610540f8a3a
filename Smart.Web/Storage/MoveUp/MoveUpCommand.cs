using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Smart.Web.Storage.MoveUp;

/// <summary>
/// <c>dotnet Smart.Web.dll move-to-postgresql --from DATA_DIR --to CONNECTION [--compare-only]</c> (<c>./run.sh move-to-postgresql ...</c>):
/// copies a LiteDB data directory into an empty PostgreSQL database, then compares both sides per country and year and prints the table.
/// Exit code 0 when every line agrees; 1 on a difference; 2 when the move is refused (bad arguments, a target not empty, the store in use).
/// The app on the data directory must be stopped first. <c>--compare-only</c> compares without copying (after a move, or to check one later).
/// </summary>
public static class MoveUpCommand
{
    public const string Command = "move-to-postgresql";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        string? from = null, to = null;
        var compareOnly = false;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--from" when i + 1 < args.Count: from = args[++i]; break;
                case "--to" when i + 1 < args.Count: to = args[++i]; break;
                case "--compare-only": compareOnly = true; break;
                default:
                    await error.WriteLineAsync($"Unknown argument '{args[i]}'.");
                    return Usage(error);
            }
        }
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to)) return Usage(error);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(to);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"--to is not a PostgreSQL connection string: {e.Message}");
            return 2;
        }
        var dataDirectory = Path.GetFullPath(from);
        try
        {
            var took = Stopwatch.StartNew();
            if (!compareOnly)
            {
                var copied = await new StoreMove(dataDirectory, to, output).CopyAsync(cancellationToken);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Copied {copied.Sum(c => (long)c.Records):N0} records in {took.Elapsed.TotalSeconds:F1} s. Comparing both sides..."));
            }
            var lines = MoveFigures.Compare(MoveFigures.OfLiteDb(dataDirectory), await MoveFigures.OfPostgreSqlAsync(to, cancellationToken));
            await output.WriteLineAsync();
            MoveFigures.Print(lines, output);
            var different = lines.Count(l => !l.Same);
            await output.WriteLineAsync();
            if (different > 0)
            {
                await error.WriteLineAsync($"{different} line(s) differ between {dataDirectory} and the PostgreSQL database: do not switch to it; see the lines marked DIFFERENT.");
                return 1;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Both sides agree ({lines.Count} lines) after {took.Elapsed.TotalSeconds:F1} s. Start the app with Smart__Storage=PostgreSql and ConnectionStrings__Smart."));
            return 0;
        }
        catch (Exception e) when (e is MoveRefusedException or DataDirectoryInUseException or NpgsqlException)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static int Usage(TextWriter error)
    {
        error.WriteLine($"usage: {Command} --from DATA_DIR --to \"Host=...;Database=...;Username=...\" [--compare-only]");
        return 2;
    }
}
