using MediatR;

namespace Smart.Web.Pages.Rules;

public static class RulePages
{
    /// <summary>The rule-set browser, history, export and import, and the four-eyes workflow.</summary>
    public static IServiceCollection AddRulePages(this IServiceCollection services)
    {
        services.AddScoped<RuleSetDrafts>();
        return services;
    }
}
