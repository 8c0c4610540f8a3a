using Smart.Rules.Evaluation;

namespace Smart.Web.Api;

/// <summary>What an evaluation request gets: the evaluator's outcome, or a refusal because the caller may not use the country.</summary>
public sealed record EvaluationReply<T>(Outcome<T>? Outcome, string? RefusedCountry) where T : class
{
    public static EvaluationReply<T> Evaluated(Outcome<T> outcome) => new(outcome, null);
    public static EvaluationReply<T> Refused(string country) => new(null, country);

    public IResult ToHttpResult()
    {
        if (RefusedCountry is not null)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Country not allowed",
                detail: $"This API key may not evaluate documents of country '{RefusedCountry}'.");
        if (Outcome is { Errors.Count: > 0 } invalid)
            return Results.ValidationProblem(new Dictionary<string, string[]>(invalid.Errors), title: "The document has invalid fields");
        if (Outcome is { NotCovered.Count: > 0 } uncovered)
            return Results.ValidationProblem(new Dictionary<string, string[]>(uncovered.NotCovered),
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "No rule set covers this document");
        if (Outcome?.Value is { } value) return Results.Ok(value);
        throw new InvalidOperationException("An evaluation outcome has neither a value nor a reason.");
    }
}
