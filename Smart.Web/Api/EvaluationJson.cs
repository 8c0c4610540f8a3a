using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smart.Web.Api;

/// <summary>The API's JSON: web defaults (camelCase, dates as yyyy-MM-dd), read strictly.</summary>
public static class EvaluationJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        // A partner gets a 400 naming the field rather than a guess: "2" is not a number and null is not a country.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.RespectNullableAnnotations = true;
        // A misspelt optional field (an "isuer" would silently pick the default issuer and its VAT treatment) must not pass.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
