using MediatR;
using Smart.Web.Pages.BankStatements;

namespace Smart.Web.BankStatements;

public static class BankStatementServices
{
    /// <summary>The import, statement and waiting-queue pages' handlers (the store is registered with the others, AddLiteDbStorage).</summary>
    public static IServiceCollection AddBankStatements(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<IndexModel.Import, IndexModel.Imported>, IndexModel.ImportHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<WaitingModel.Query, IReadOnlyList<StatementLine>>, WaitingModel.Handler>();
        services.AddScoped<IRequestHandler<WaitingModel.Decision, StatementLine>, WaitingModel.DecisionHandler>();
        return services;
    }
}
