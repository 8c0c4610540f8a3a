using MediatR;

namespace Smart.Web.Budget;

public static class BudgetServices
{
    /// <summary>The units' ledgers, the salary guarantee's requests and daily job, and the opening of ledgers at start-up.</summary>
    public static IServiceCollection AddBudget(this IServiceCollection services)
    {
        services.AddSingleton<LiteDbLedgerStore>();
        services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<LiteDbLedgerStore>());
        services.AddScoped<IRequestHandler<SalaryGuarantee.PaySalary, Storage.Contract>, SalaryGuarantee.PaySalaryHandler>();
        services.AddScoped<IRequestHandler<SalaryGuarantee.PayDueSalaries, int>, SalaryGuarantee.PayDueSalariesHandler>();
        services.AddScoped<SalaryGuarantee.Job>();
        services.AddScoped<IRequestHandler<Pages.Guarantee.IndexModel.Query, Pages.Guarantee.IndexModel.Result>, Pages.Guarantee.IndexModel.Handler>();
        services.AddHostedService<SalaryGuarantee.Schedule>();
        return services;
    }
}
