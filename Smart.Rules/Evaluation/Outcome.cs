namespace Smart.Rules.Evaluation;

/// <summary>
/// An evaluation, or why there is none: <see cref="Errors"/> names each bad field of the input (HTTP 400),
/// <see cref="NotCovered"/> names what no rule set covers, such as an unknown country or a date before any rule (HTTP 422),
/// or, under "rules", a rule that failed on this document (<see cref="RuleFailure"/>: it threw or exceeded its budget).
/// </summary>
public sealed record Outcome<T> where T : class
{
    public T? Value { get; private init; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = Empty;
    public IReadOnlyDictionary<string, string[]> NotCovered { get; private init; } = Empty;

    /// <summary>Which rule failed on this document and why, when one did.</summary>
    public string? RuleFailure { get; private init; }

    public bool IsSuccess => Value is not null;

    public static Outcome<T> Success(T value) => new() { Value = value };
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new() { Errors = errors };
    public static Outcome<T> Uncovered(string field, string message) => new() { NotCovered = new Dictionary<string, string[]> { [field] = [message] } };
    public static Outcome<T> Failed(string message) => Uncovered("rules", message) with { RuleFailure = message };

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}
