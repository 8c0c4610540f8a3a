using MediatR;

namespace Smart.Web.Pages.ThreeInOne;

public static class ThreeInOnePages
{
    /// <summary>The handlers of the 3-in-1 job's pages; the stores and evaluations are the invoice, contract and expense claim pages'.</summary>
    public static IServiceCollection AddThreeInOnePages(this IServiceCollection services)
    {
        services.AddScoped<IRequestHandler<CreateModel.Blank, CreateModel.Command>, CreateModel.BlankHandler>();
        services.AddScoped<IRequestHandler<CreateModel.Command, CreateModel.Outcome>, CreateModel.Handler>();
        services.AddScoped<IRequestHandler<CreatedModel.Query, CreatedModel.Result>, CreatedModel.Handler>();
        return services;
    }
}
