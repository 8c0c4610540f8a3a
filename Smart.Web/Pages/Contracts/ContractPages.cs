using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Contracts;

public static class ContractPages
{
    /// <summary>The handlers of the contract pages (MediatR 5 here has no assembly scanning).</summary>
    public static IServiceCollection AddContractPages(this IServiceCollection services)
    {
        services.AddScoped<ContractServices>();
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<CreateModel.Blank, CreateModel.Command>, CreateModel.BlankHandler>();
        services.AddScoped<IRequestHandler<CreateModel.Command, Contract>, CreateModel.Handler>();
        services.AddScoped<IRequestHandler<EditModel.Query, EditModel.Command>, EditModel.QueryHandler>();
        services.AddScoped<IRequestHandler<EditModel.Command, UpdateStatus>, EditModel.CommandHandler>();
        services.AddScoped<IRequestHandler<ExportModel.Query, IAsyncEnumerable<Contract>>, ExportModel.Handler>();
        return services;
    }
}
