using System.Globalization;

namespace Smart.Web.Pages.Shared;

/// <summary>
/// A list page's current filters as route values, with another sort or page: what its column headers, page links and
/// CSV export send, so all three keep the same filters. Empty filters are left out of the URL.
/// </summary>
public sealed class ListRoute
{
    private readonly Dictionary<string, string> values = [];

    public ListRoute Filter(string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) values[key] = value;
        return this;
    }

    public ListRoute Filter(string key, int? value) => Filter(key, value?.ToString(CultureInfo.InvariantCulture));

    public ListRoute Filter(string key, decimal? value) => Filter(key, value?.ToString(CultureInfo.InvariantCulture));

    public ListRoute Filter(string key, DateOnly? value) => Filter(key, value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Adds Sort, Desc and PageNumber: a click on the column already sorted turns its order around; page 1 stays implicit.</summary>
    public Dictionary<string, string> Sorted<TSort>(TSort current, bool currentDescending, TSort? requested, int? page) where TSort : struct, Enum
    {
        values["Sort"] = (requested ?? current).ToString();
        var descending = requested is null ? currentDescending : requested.Value.Equals(current) && !currentDescending;
        if (descending) values["Desc"] = "true";
        if ((page ?? 1) > 1) values["PageNumber"] = page!.Value.ToString(CultureInfo.InvariantCulture);
        return values;
    }
}
