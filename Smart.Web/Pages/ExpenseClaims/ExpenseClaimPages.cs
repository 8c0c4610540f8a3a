using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.ExpenseClaims;

public static class ExpenseClaimPages
{
    /// <summary>The expense claims' demo seed and drafts (their handlers are found by the scan).</summary>
    public static IServiceCollection AddExpenseClaimPages(this IServiceCollection services)
    {
        // After the directory's demo seed (hosted services start in the order they are added): it needs the demo units.
        services.AddHostedService<Storage.Demo.ExpenseClaimDemoSeed>();
        services.AddScoped<ExpenseClaimDrafts>();
        return services;
    }
}
