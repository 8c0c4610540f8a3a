using MediatR;

namespace Smart.Web.Budget;

public static class BudgetServices
{
    /// <summary>The salary guarantee's requests and daily job, and the opening of ledgers at start-up (the ledger store is with the others).</summary>
    public static IServiceCollection AddBudget(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<SalaryGuarantee.PaySalary, Storage.Contract>, SalaryGuarantee.PaySalaryHandler>();
        services.AddScoped<IRequestHandler<SalaryGuarantee.PayDueSalaries, int>, SalaryGuarantee.PayDueSalariesHandler>();
        services.AddScoped<SalaryGuarantee.Job>();
        services.AddScoped<IRequestHandler<Pages.Guarantee.IndexModel.Query, Pages.Guarantee.IndexModel.Result>, Pages.Guarantee.IndexModel.Handler>();
        services.AddHostedService<SalaryGuarantee.Schedule>();
        return services;
    }
}
