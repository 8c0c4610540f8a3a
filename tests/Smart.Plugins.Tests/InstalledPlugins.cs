using System.Reflection;
using Smart.Rules.Plugins;

namespace Smart.Plugins.Tests;

/// <summary>The plugins as the host sees them: built into artifacts/plugins and loaded through the catalog.</summary>
public static class InstalledPlugins
{
    private static readonly Lazy<PluginCatalog> LoadedCatalog = new(() => PluginCatalog.Load(Directory));

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Directory => Path.Combine(RepoRoot, "artifacts", "plugins");

    public static PluginCatalog Catalog => LoadedCatalog.Value;

    public static ICountryPlugin Plugin(string country) =>
        Catalog.Find(country)?.Plugin ?? throw new InvalidOperationException($"No plugin for {country} in {Directory}: {string.Join("; ", Catalog.Problems)}");

    public static IdentifierCheck Check(string country, IdentifierKind kind, string value) => Plugin(country).Validators[kind].Check(value);

    /// <summary>Calls a static method of the country's expression helper, as a rule expression would.</summary>
    public static object? CallHelper(string country, string method, params object?[] arguments)
    {
        var helper = Plugin(country).ExpressionHelpers.Single();
        var info = helper.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{helper.FullName} has no method {method}.");
        return info.Invoke(null, arguments);
    }

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Smart.Intranet.sln")) || File.Exists(Path.Combine(folder.FullName, "Smart.Intranet.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException($"No Smart.Intranet.sln above {AppContext.BaseDirectory}.");
    }
}
