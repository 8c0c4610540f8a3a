using MediatR;

namespace Smart.Web.Pages.Invoices;

public static class ReminderPages
{
    public static IServiceCollection AddReminderPages(this IServiceCollection services) =>
        services.AddScoped<IRequestHandler<RemindersModel.Query, RemindersModel.Result>, RemindersModel.Handler>();
}
