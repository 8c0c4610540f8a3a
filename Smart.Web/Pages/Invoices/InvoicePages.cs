using MediatR;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Invoices;

public static class InvoicePages
{
    /// <summary>The evaluation the invoice pages share (their handlers are found by the scan).</summary>
    public static IServiceCollection AddInvoicePages(this IServiceCollection services)
    {
        // After the directory's demo seed (hosted services start in the order they are added): the demo documents need its units and clients.
        services.AddHostedService<Storage.Demo.DocumentDemoSeed>();
        services.AddScoped<InvoiceEvaluations>();
        // Transient: each user (a page's evaluations, a re-evaluation run, a simulation) keeps its own snapshot of what it read.
        services.AddTransient<InvoiceInputs>();
        services.AddScoped<Smart.Web.EInvoicing.InvoiceDocuments>();
        return services;
    }
}
