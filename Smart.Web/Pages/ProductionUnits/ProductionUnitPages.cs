using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.ProductionUnits;

public static class ProductionUnitPages
{
    /// <summary>The handlers of the production unit pages (MediatR 5 here has no assembly scanning).</summary>
    public static IServiceCollection AddProductionUnitPages(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<CreateModel.Blank, CreateModel.Command>, CreateModel.BlankHandler>();
        services.AddScoped<IRequestHandler<CreateModel.Command, ProductionUnit>, CreateModel.Handler>();
        services.AddScoped<IRequestHandler<EditModel.Query, EditModel.Command>, EditModel.QueryHandler>();
        services.AddScoped<IRequestHandler<EditModel.Command, UpdateStatus>, EditModel.CommandHandler>();
        services.AddScoped<IRequestHandler<LedgerModel.Query, LedgerModel.Result>, LedgerModel.Handler>();
        services.AddScoped<IRequestHandler<LedgerModel.Adjust, Smart.Web.Budget.LedgerEntry>, LedgerModel.AdjustHandler>();
        services.AddScoped<IRequestHandler<ExportModel.Query, IAsyncEnumerable<ProductionUnit>>, ExportModel.Handler>();
        return services;
    }
}
