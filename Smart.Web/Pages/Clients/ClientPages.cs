using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Clients;

public static class ClientPages
{
    /// <summary>The handlers of the client pages (MediatR 5 here has no assembly scanning).</summary>
    public static IServiceCollection AddClientPages(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<LegalFormChoices.Query, LegalFormChoices>, LegalFormChoices.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<CreateModel.Query, CreateModel.Command>, CreateModel.QueryHandler>();
        services.AddScoped<IRequestHandler<CreateModel.Command, Client>, CreateModel.Handler>();
        services.AddScoped<IRequestHandler<EditModel.Query, EditModel.Command>, EditModel.QueryHandler>();
        services.AddScoped<IRequestHandler<EditModel.Command, UpdateStatus>, EditModel.CommandHandler>();
        services.AddScoped<IRequestHandler<ExportModel.Query, IAsyncEnumerable<Client>>, ExportModel.Handler>();
        return services;
    }
}
