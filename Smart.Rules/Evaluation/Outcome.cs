namespace Smart.Rules.Evaluation;

/// <summary>
/// An evaluation, or why there is none: <see cref="Errors"/> names each bad field of the input (HTTP 400),
/// <see cref="NotCovered"/> names what no rule set covers, such as an unknown country or a date before any rule (HTTP 422).
/// </summary>
public sealed record Outcome<T> where T : class
{
    public T? Value { get; private init; }
    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = Empty;
    public IReadOnlyDictionary<string, string[]> NotCovered { get; private init; } = Empty;

    public bool IsSuccess => Value is not null;

    public static Outcome<T> Success(T value) => new() { Value = value };
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new() { Errors = errors };
    public static Outcome<T> Uncovered(string field, string message) => new() { NotCovered = new Dictionary<string, string[]> { [field] = [message] } };

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}
