namespace Smart.Web.Hosting;

/// <summary>Where the app keeps its data and finds its rule sets and country plugins; relative paths start at the content root.</summary>
public sealed record SmartDirectories(string Data, string Rules, string Plugins)
{
    /// <summary>
    /// Prepared changes to rule sets, laid out as <see cref="Rules"/> (<c>&lt;cc&gt;/&lt;topic&gt;.json</c>): each is submitted for
    /// approval once, from the version in force, and applies only when an approver publishes it (a law announced, not yet published).
    /// </summary>
    public string RuleDrafts { get; init; } = "";

    public static SmartDirectories From(IConfiguration configuration, IHostEnvironment environment)
    {
        string Resolve(string key, string fallback) =>
            Path.GetFullPath(configuration[key] is { Length: > 0 } configured ? configured : fallback, environment.ContentRootPath);

        var directories = new SmartDirectories(
            Resolve("Smart:DataDirectory", "data"),
            Resolve("Smart:RulesDirectory", Path.Combine("..", "rules")),
            Resolve("Smart:PluginsDirectory", Path.Combine("..", "artifacts", "plugins")))
        {
            RuleDrafts = Resolve("Smart:RuleDraftsDirectory", Path.Combine("..", "rule-drafts")),
        };
        Directory.CreateDirectory(directories.Data);
        return directories;
    }
}
