using MediatR;
using Microsoft.Extensions.Options;
using Smart.Rules.Evaluation;
using Smart.Web.Security;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Smart.Web.Api;

/// <summary>Public evaluation API v1: partner systems post a document and get its evaluation (DESIGN.md keeps the contract).</summary>
public static class EvaluationApi
{
    public static IServiceCollection AddEvaluationApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => EvaluationJson.Configure(o.SerializerOptions));
        return services;
    }

    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/evaluate")
            .RequireAuthorization(SecurityServices.EvaluationApiPolicy)
            .WithTags("Evaluation")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/invoice", async (HttpRequest request, string? asKnownOn, IMediator mediator, IOptions<HttpJsonOptions> json, TimeProvider clock,
                CancellationToken ct) =>
            {
                var knowledge = KnowledgeDate.Read(asKnownOn, clock);
                if (knowledge.Errors is not null) return Results.ValidationProblem(knowledge.Errors);
                var body = await DocumentBody.ReadAsync<InvoiceDocument>(request, json.Value.SerializerOptions, ct);
                if (body.Document is null) return Results.ValidationProblem(body.Errors!);
                var reply = await mediator.Send(new EvaluateInvoice.Command(body.Document, knowledge.Instant), ct);
                return reply.ToHttpResult();
            })
            .WithName("EvaluateInvoice")
            .WithSummary("Evaluates an invoice: VAT per line and per category, contribution, author rights, legal mentions and trace.")
            .WithDescription("The document's date decides which law applies; the optional query parameter asKnownOn (a date, or an ISO 8601 instant) "
                + "decides which published rule-set versions are used: those published by then (default: now). The answer gives asKnownOn and, for each rule set "
                + "used, its store version and publication time.")
            .Accepts<InvoiceDocument>("application/json")
            .Produces<InvoiceEvaluation>();

        api.MapPost("/contract", async (HttpRequest request, string? asKnownOn, IMediator mediator, IOptions<HttpJsonOptions> json, TimeProvider clock,
                CancellationToken ct) =>
            {
                var knowledge = KnowledgeDate.Read(asKnownOn, clock);
                if (knowledge.Errors is not null) return Results.ValidationProblem(knowledge.Errors);
                var body = await DocumentBody.ReadAsync<ContractDocument>(request, json.Value.SerializerOptions, ct);
                if (body.Document is null) return Results.ValidationProblem(body.Errors!);
                var reply = await mediator.Send(new EvaluateContract.Command(body.Document, knowledge.Instant), ct);
                return reply.ToHttpResult();
            })
            .WithName("EvaluateContract")
            .WithSummary("Evaluates an employment contract: how its budget splits into contributions and salary.")
            .Accepts<ContractDocument>("application/json")
            .Produces<ContractEvaluation>();

        return endpoints;
    }
}
