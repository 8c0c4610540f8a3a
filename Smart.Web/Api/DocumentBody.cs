using System.Text.Json;

namespace Smart.Web.Api;

/// <summary>
/// Reads a document from the request body. The body is read here rather than bound by the framework so that
/// malformed JSON, a wrong type or a bad date becomes a 400 naming the field, not an exception.
/// </summary>
public static class DocumentBody
{
    public const string BodyField = "body";

    public sealed record Read<T>(T? Document, Dictionary<string, string[]>? Errors) where T : class;

    public static async Task<Read<T>> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var document = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return document is null
                ? Invalid<T>(BodyField, "The body must be a JSON object, not null.")
                : new Read<T>(document, null);
        }
        catch (JsonException e)
        {
            return Invalid<T>(FieldOf(e.Path), Explain(e));
        }
        catch (BadHttpRequestException e)
        {
            return Invalid<T>(BodyField, e.Message);
        }
    }

    /// <summary>"$.lines[0].quantity" → "lines[0].quantity"; the root is the body.</summary>
    public static string FieldOf(string? jsonPath) => jsonPath switch
    {
        null or "" or "$" => BodyField,
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ when jsonPath.StartsWith('$') => jsonPath[1..],
        _ => jsonPath,
    };

    private static string Explain(JsonException e)
    {
        var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        // The serializer wraps the reader's own exception when the text is not JSON at all.
        if (e.InnerException is not JsonException)
            return $"Not accepted here{where}: an unknown field, a null where a value is required, a wrong type (numbers are unquoted) or a bad format (dates are yyyy-MM-dd).";
        return e is { Path: "$", LineNumber: 0, BytePositionInLine: 0 }
            ? "The body is empty: send the document as a JSON object."
            : $"The body is not well-formed JSON{where}.";
    }

    private static Read<T> Invalid<T>(string field, string message) where T : class => new(null, new() { [field] = [message] });
}
