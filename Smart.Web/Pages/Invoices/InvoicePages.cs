using MediatR;
using Smart.Web.Storage;

namespace Smart.Web.Pages.Invoices;

public static class InvoicePages
{
    /// <summary>The handlers of the invoice pages (MediatR 5 here has no assembly scanning) and the evaluation they share.</summary>
    public static IServiceCollection AddInvoicePages(this IServiceCollection services)
    {
        // After the directory's demo seed (hosted services start in the order they are added): the demo documents need its units and clients.
        services.AddHostedService<Storage.Demo.DocumentDemoSeed>();
        services.AddScoped<InvoiceEvaluations>();
        // Transient: each user (a page's evaluations, a re-evaluation run, a simulation) keeps its own snapshot of what it read.
        services.AddTransient<InvoiceInputs>();
        services.AddScoped<Smart.Web.EInvoicing.InvoiceDocuments>();
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<ExportModel.Query, IAsyncEnumerable<Invoice>>, ExportModel.Handler>();
        services.AddScoped<IRequestHandler<InvoiceChoices.Query, InvoiceChoices>, InvoiceChoices.Handler>();
        services.AddScoped<IRequestHandler<CreateModel.Blank, CreateModel.Command>, CreateModel.BlankHandler>();
        services.AddScoped<IRequestHandler<CreateModel.Command, Invoice>, CreateModel.Handler>();
        services.AddScoped<IRequestHandler<EditModel.Query, EditModel.Command>, EditModel.QueryHandler>();
        services.AddScoped<IRequestHandler<EditModel.Command, EditModel.Outcome>, EditModel.CommandHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.Query, DetailsModel.Result>, DetailsModel.Handler>();
        services.AddScoped<IRequestHandler<DetailsModel.Issue, DetailsModel.IssueOutcome>, DetailsModel.IssueHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.RecordPayment, InvoiceStatus>, DetailsModel.PaymentHandler>();
        services.AddScoped<IRequestHandler<WriteOffModel.Query, WriteOffModel.Result>, WriteOffModel.Handler>();
        services.AddScoped<IRequestHandler<WriteOffModel.Command, Invoice>, WriteOffModel.CommandHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.CreateCreditNote, Invoice?>, DetailsModel.CreditNoteHandler>();
        services.AddScoped<IRequestHandler<DetailsModel.FilesQuery, InvoiceFiles?>, DetailsModel.FilesHandler>();
        services.AddScoped<IRequestHandler<ExplainModel.Query, ExplainModel.Result>, ExplainModel.Handler>();
        services.AddScoped<IRequestHandler<PrintModel.Query, PrintModel.Result>, PrintModel.Handler>();
        services.AddScoped<IRequestHandler<OutboxModel.Query, OutboxModel.Result>, OutboxModel.Handler>();
        services.AddScoped<IRequestHandler<OutboxModel.Retry, bool>, OutboxModel.RetryHandler>();
        services.AddScoped<IRequestHandler<AgeingModel.Query, AgeingModel.Result>, AgeingModel.Handler>();
        return services;
    }
}
