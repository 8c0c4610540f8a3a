using MediatR;

namespace Smart.Web.Budget;

public static class BudgetServices
{
    /// <summary>The salary guarantee's requests and daily job, and the opening of ledgers at start-up (the ledger store is with the others).</summary>
    public static IServiceCollection AddBudget(this IServiceCollection services)
    {
        services.AddScoped<SalaryGuarantee.Job>();
        services.AddHostedService<SalaryGuarantee.Schedule>();
        return services;
    }
}
