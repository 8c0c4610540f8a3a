using MediatR;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Storage;

namespace Smart.Web.EInvoicing;

public static class OutboxServices
{
    /// <summary>The folder transport (<c>Smart:EInvoicing:OutboxDirectory</c>, relative to the data directory) and its job.</summary>
    public static IServiceCollection AddEInvoiceOutbox(this IServiceCollection services)
    {
        services.AddSingleton<IEInvoiceTransport>(sp => new FolderTransport(Path.GetFullPath(
            sp.GetRequiredService<IConfiguration>()["Smart:EInvoicing:OutboxDirectory"] is { Length: > 0 } configured ? configured : "einvoice-outbox",
            sp.GetRequiredService<SmartDirectories>().Data)));
        services.AddSingleton<DeliverEInvoices.RunLock>();
        services.AddScoped<EInvoiceDeliveryJob>();
        services.AddHostedService<EInvoiceDeliverySchedule>();
        return services;
    }
}
