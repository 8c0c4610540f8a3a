using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Storage;

namespace Smart.Web.Hosting;

public static class RuleBookServices
{
    /// <summary>The directories, the country plugins and the rule book in force with its evaluator.</summary>
    public static IServiceCollection AddRuleBook(this IServiceCollection services)
    {
        // Read when first resolved, after the host is built, so settings a test host adds late are seen too.
        services.AddSingleton(sp => SmartDirectories.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(sp =>
        {
            var directories = sp.GetRequiredService<SmartDirectories>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Smart.Plugins");
            var catalog = PluginCatalog.Load(directories.Plugins).WithConfiguredIssuers(sp.GetRequiredService<IConfiguration>());
            foreach (var problem in catalog.Problems)
                logger.LogWarning("Plugin problem: {Problem}", problem);
            logger.LogInformation("{Count} country plugins loaded from {Directory}", catalog.Plugins.Count, directories.Plugins);
            return catalog;
        });
        services.AddSingleton<RuleBookInForce>();
        // Per request, not singletons: a publication swaps the book, and each request must take the one in force when it starts.
        services.AddTransient(sp => sp.GetRequiredService<RuleBookInForce>().Book);
        services.AddTransient(sp => sp.GetRequiredService<RuleBookInForce>().Evaluator);
        return services;
    }

    /// <summary>Loads plugins and rule sets now, so their problems are in the log before the first request rather than during it.</summary>
    public static void LoadRuleBook(this IServiceProvider services) => _ = services.GetRequiredService<RuleBookInForce>();
}
