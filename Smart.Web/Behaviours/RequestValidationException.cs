namespace Smart.Web.Behaviours;

/// <summary>
/// A request whose fields are wrong, each error under the request's property name ("" for the request as a whole).
/// Thrown by <see cref="ValidationBehaviour{TRequest,TResponse}"/> or by a handler that finds a problem only it can
/// see (a duplicate e-mail); pages show the errors next to their fields, the API answers a validation problem.
/// </summary>
public sealed class RequestValidationException(Type requestType, IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public Type RequestType { get; } = requestType;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One error on one field, for handlers: <c>throw RequestValidationException.For&lt;Command&gt;(nameof(Command.Email), L["…"])</c>.</summary>
    public static RequestValidationException For<TRequest>(string field, string message) =>
        new(typeof(TRequest), new Dictionary<string, string[]> { [field] = [message] });
}
