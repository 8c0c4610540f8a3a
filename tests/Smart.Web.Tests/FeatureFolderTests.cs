using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Smart.Web.Tests;

/// <summary>
/// A feature is a folder (README, Layout): a job sits with the pages' handlers and the store it works on, Jobs/ keeps Hangfire's setup,
/// a store's interface and its LiteDB and PostgreSQL implementations sit together, and a file's namespace names its folder.
/// </summary>
public sealed partial class FeatureFolderTests
{
    private static readonly Assembly App = typeof(Program).Assembly;

    /// <summary>
    /// Hangfire's setup: registration and servers, the dashboard's filter, its log provider, the runs' budgets, their watchdog and the scan
    /// that queues again the runs a stopped instance left.
    /// </summary>
    private static readonly string[] HangfireSetup =
        ["JobServices", "AdministratorDashboardFilter", "ProcessSafeLogProvider", "JobBudgets", "RunWatchdog", "OrphanedRunsScan"];

    private static IEnumerable<Type> TopLevelTypes() =>
        App.GetTypes().Where(t => t.DeclaringType is null && t.GetCustomAttribute<CompilerGeneratedAttribute>() is null
                                  && t.Namespace?.StartsWith("Smart.Web", StringComparison.Ordinal) == true);

    [Fact]
    public void Jobs_holds_only_Hangfires_setup()
    {
        var inJobs = TopLevelTypes().Where(t => t.Namespace == "Smart.Web.Jobs").Select(t => t.Name).ToList();

        Assert.Contains("JobServices", inJobs);
        Assert.Empty(inJobs.Except(HangfireSetup));
    }

    [Fact]
    public void Every_job_lives_in_the_folder_of_its_feature()
    {
        // A Hangfire job is a class the app enqueues or schedules: by convention named ...Job (SalaryGuarantee.Job nests one).
        var jobs = App.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && t.Name.EndsWith("Job", StringComparison.Ordinal)).ToList();

        Assert.True(jobs.Count >= 5, $"only {jobs.Count} jobs found: {string.Join(", ", jobs.Select(j => j.FullName))}");
        Assert.All(jobs, job =>
        {
            Assert.NotEqual("Smart.Web.Jobs", job.Namespace);
            Assert.False(job.Namespace!.StartsWith("Smart.Web.Storage", StringComparison.Ordinal), $"{job.FullName} is a job in Storage/");
            Assert.False(job.Namespace.StartsWith("Smart.Web.Pages", StringComparison.Ordinal), $"{job.FullName} is a job in Pages/");
        });
    }

    [Fact]
    public void A_store_interface_and_its_LiteDb_and_PostgreSql_implementations_share_a_namespace()
    {
        var stores = TopLevelTypes().Where(t => t.IsInterface && StoreName().IsMatch(t.Name)).ToList();
        var implementations = TopLevelTypes().Where(t => t is { IsClass: true, IsAbstract: false }).ToList();

        Assert.True(stores.Count >= 15, $"only {stores.Count} store interfaces found");
        Assert.All(stores, store =>
        {
            var implementing = implementations.Where(t => t.GetInterfaces().Contains(store)).ToList();
            Assert.Contains(implementing, t => t.Name.StartsWith("LiteDb", StringComparison.Ordinal));
            Assert.Contains(implementing, t => t.Name.StartsWith("PostgreSql", StringComparison.Ordinal));
            Assert.All(implementing, t => Assert.True(t.Namespace == store.Namespace,
                $"{t.FullName} implements {store.FullName}: they belong in one folder"));
        });
    }

    [Fact]
    public void Every_source_file_of_the_app_has_the_namespace_of_its_folder()
    {
        var project = Path.Combine(Repo.Root, "Smart.Web");
        var files = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(f => !InBuildOutput(Path.GetRelativePath(project, f))).ToList();

        var wrong = (from file in files
                     let match = FileNamespace().Match(File.ReadAllText(file))
                     where match.Success
                     let folder = Path.GetDirectoryName(Path.GetRelativePath(project, file))!
                     let expected = string.Join('.', new[] { "Smart.Web" }.Concat(folder.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)))
                     where match.Groups[1].Value != expected
                     select $"{Path.GetRelativePath(project, file)}: namespace {match.Groups[1].Value}, folder {expected}").ToList();

        Assert.True(files.Count > 200, $"only {files.Count} files found under {project}");
        Assert.Empty(wrong);
    }

    private static bool InBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj" or "node_modules";

    [GeneratedRegex(@"^I\w+(Store|Log)$")]
    private static partial Regex StoreName();

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
