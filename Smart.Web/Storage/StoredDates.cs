namespace Smart.Web.Storage;

/// <summary>
/// LiteDB 5 has no DateOnly: stored documents hold a legal date as UTC midnight, and LiteDB hands it back in local
/// time, so reading converts to UTC first or a date would move by a day east or west of Greenwich.
/// </summary>
internal static class StoredDates
{
    public static DateTime ToStored(this DateOnly date) => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    public static DateOnly ToDate(this DateTime stored) => DateOnly.FromDateTime(stored.ToUniversalTime());
}
