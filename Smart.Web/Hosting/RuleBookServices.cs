using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

namespace Smart.Web.Hosting;

public static class RuleBookServices
{
    /// <summary>The directories, the country plugins, the rule book and the evaluator, each loaded once.</summary>
    public static IServiceCollection AddRuleBook(this IServiceCollection services)
    {
        // Read when first resolved, after the host is built, so settings a test host adds late are seen too.
        services.AddSingleton(sp => SmartDirectories.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(sp =>
        {
            var directories = sp.GetRequiredService<SmartDirectories>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Smart.Plugins");
            var catalog = PluginCatalog.Load(directories.Plugins);
            foreach (var problem in catalog.Problems)
                logger.LogWarning("Plugin problem: {Problem}", problem);
            logger.LogInformation("{Count} country plugins loaded from {Directory}", catalog.Plugins.Count, directories.Plugins);
            return catalog;
        });
        services.AddSingleton(sp =>
        {
            var directories = sp.GetRequiredService<SmartDirectories>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Smart.Rules");
            var book = RuleBook.Load(directories.Rules, sp.GetRequiredService<PluginCatalog>());
            foreach (var problem in book.Problems)
                logger.LogWarning("Rule set problem in {File} at {Path} (line {Line}): {Message}", problem.File, problem.Path, problem.Line, problem.Message);
            logger.LogInformation("{Count} rule sets in force from {Directory}", book.RuleSets.Count(), directories.Rules);
            return book;
        });
        services.AddSingleton(sp => new DocumentEvaluator(sp.GetRequiredService<RuleBook>()));
        return services;
    }

    /// <summary>Loads plugins and rule sets now, so their problems are in the log before the first request rather than during it.</summary>
    public static void LoadRuleBook(this IServiceProvider services) => _ = services.GetRequiredService<RuleBook>();
}
