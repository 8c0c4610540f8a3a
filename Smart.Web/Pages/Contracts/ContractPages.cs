using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Contracts;

public static class ContractPages
{
    /// <summary>What the contract pages share beside their handlers (found by the scan).</summary>
    public static IServiceCollection AddContractPages(this IServiceCollection services)
    {
        services.AddScoped<ContractServices>();
        services.AddScoped<ContractEvaluations>();
        return services;
    }
}
