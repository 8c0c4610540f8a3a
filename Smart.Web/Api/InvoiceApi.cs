using MediatR;
using Microsoft.Extensions.Options;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Smart.Web.Api;

/// <summary>
/// Partner systems read an issued invoice's stored e-invoice (<c>GET /api/v1/invoices/{number}/einvoice</c>) and see the one a
/// document would get before issuing it (<c>POST /api/v1/render/invoice</c>).
/// </summary>
public static class InvoiceApi
{
    public static IEndpointRouteBuilder MapInvoiceApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/invoices")
            .RequireAuthorization(SecurityServices.EvaluationApiPolicy)
            .WithTags("Invoices")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{number}/einvoice", async (string number, IMediator mediator, CancellationToken ct) =>
                (await mediator.Send(new StoredEInvoice.Query(number), ct)).ToHttpResult(number))
            .WithName("GetEInvoice")
            .WithSummary("The e-invoice stored when the invoice was issued (Peppol BIS 3.0 UBL or FatturaPA), unchanged.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml");

        endpoints.MapGroup("/api/v1/render")
            .RequireAuthorization(SecurityServices.EvaluationApiPolicy)
            .WithTags("Invoices")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .MapPost("/invoice", async (HttpRequest request, string? format, IMediator mediator, IOptions<HttpJsonOptions> json, CancellationToken ct) =>
            {
                var body = await DocumentBody.ReadAsync<RenderInvoice.Body>(request, json.Value.SerializerOptions, ct);
                if (body.Document is null) return Results.ValidationProblem(body.Errors!);
                return (await mediator.Send(new RenderInvoice.Command(body.Document, format), ct)).ToHttpResult();
            })
            .WithName("RenderInvoice")
            .WithSummary("The e-invoice this invoice would be sent as (Peppol BIS 3.0 UBL, or the country's own format such as FatturaPA; "
                + "?format=ubl|fatturapa where a country has both), with its PDF embedded; nothing is stored or numbered.")
            .Accepts<RenderInvoice.Body>("application/json")
            .Produces<string>(StatusCodes.Status200OK, "application/xml");
        return endpoints;
    }
}

public static class StoredEInvoice
{
    public sealed record Query(string Number) : IRequest<Reply>;

    /// <summary>The stored XML, or why not: <see cref="RefusedCountry"/> when the key may not use the invoice's country, neither when none.</summary>
    public sealed record Reply(string? Xml, string? FileName, string? RefusedCountry)
    {
        public IResult ToHttpResult(string number) =>
            RefusedCountry is not null
                ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Country not allowed",
                    detail: $"This API key may not read documents of country '{RefusedCountry}'.")
                : Xml is null
                    ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No e-invoice",
                        detail: $"No issued invoice '{number}' with an e-invoice.")
                    : Results.Text(Xml, "application/xml", System.Text.Encoding.UTF8);
    }

    public sealed class Handler(IInvoiceStore invoices, CurrentUser user) : IRequestHandler<Query, Reply>
    {
        public async Task<Reply> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = string.IsNullOrWhiteSpace(query.Number) ? null : await invoices.FindByNumberAsync(query.Number.Trim(), cancellationToken);
            if (invoice is null) return new Reply(null, null, null);
            if (!user.MayUseCountry(invoice.Country)) return new Reply(null, null, invoice.Country);
            var files = await invoices.FilesAsync(invoice.Id, cancellationToken);
            return new Reply(files?.Xml, files?.XmlFileName, null);
        }
    }
}
