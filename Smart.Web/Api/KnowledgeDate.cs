using System.Globalization;

namespace Smart.Web.Api;

/// <summary>
/// The API's optional <c>asKnownOn</c>: evaluate with the rule-set versions published by that instant instead of those in force now. A date
/// alone means the end of that day (UTC): what was known on that day, publications of the day included.
/// </summary>
public static class KnowledgeDate
{
    public const string Field = "asKnownOn";

    /// <summary>The instant asked for, null when none was; or the 400 errors naming the field.</summary>
    public static (DateTimeOffset? Instant, Dictionary<string, string[]>? Errors) Read(string? text, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        DateTimeOffset instant;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            instant = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
        else if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
            return (null, Invalid("Give a date (yyyy-MM-dd) or an ISO 8601 date and time, e.g. 2026-03-01T12:00:00Z."));
        var now = clock.GetUtcNow();
        // The end of today is today: what is known now.
        if (instant > now && instant.UtcDateTime.Date > now.UtcDateTime.Date) return (null, Invalid("This is in the future: nothing is known of it yet."));
        return (instant > now ? now : instant, null);
    }

    private static Dictionary<string, string[]> Invalid(string message) => new() { [Field] = [message] };
}
