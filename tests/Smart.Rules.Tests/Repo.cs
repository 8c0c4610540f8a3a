using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>The repository's real rule files and built plugins, loaded once for all tests.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();
    public static string RulesDirectory => Path.Combine(Root, "rules");
    public static string PluginsDirectory => Path.Combine(Root, "artifacts", "plugins");

    public static readonly Lazy<PluginCatalog> Plugins = new(() => PluginCatalog.Load(PluginsDirectory));
    public static readonly Lazy<RuleBook> Book = new(() => RuleBook.Load(RulesDirectory, Plugins.Value));
    public static DocumentEvaluator Evaluator => new(Book.Value);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Smart.Intranet.sln")) || File.Exists(Path.Combine(dir.FullName, "Smart.Intranet.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Smart.Intranet.sln not found above " + AppContext.BaseDirectory);
    }
}
