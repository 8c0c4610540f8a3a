using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.ExpenseClaims;

public static class ExpenseClaimPages
{
    /// <summary>The handlers of the expense claim pages (MediatR 5 here has no assembly scanning).</summary>
    public static IServiceCollection AddExpenseClaimPages(this IServiceCollection services)
    {
        // After the directory's demo seed (hosted services start in the order they are added): it needs the demo units.
        services.AddHostedService<Storage.Demo.ExpenseClaimDemoSeed>();
        services.AddScoped<ExpenseClaimDrafts>();
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<IndexModel.CategoriesQuery, IndexModel.Categories>, IndexModel.CategoriesHandler>();
        services.AddScoped<IRequestHandler<ExportModel.Query, IAsyncEnumerable<ExpenseClaim>>, ExportModel.Handler>();
        services.AddScoped<IRequestHandler<CreateModel.Command, ExpenseClaim>, CreateModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.ReceiptQuery, ExpenseReceipt?>, DetailsModel.ReceiptHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.Approve, ExpenseClaim>, DetailsModel.ApproveHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.Refuse, ExpenseClaim>, DetailsModel.RefuseHandler>();
        return services;
    }
}
