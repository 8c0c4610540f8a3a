using LiteDB;

namespace Smart.Web.Storage;

public static class LiteDbPages
{
    /// <summary>
    /// Every document of a collection in id order, a page at a time, each page read whole before the caller sees it. No LiteDB cursor
    /// stays open while the caller reads more (a page's evaluations) or awaits (the move's writes to PostgreSQL): LiteDB's read lock
    /// belongs to a thread, and a cursor held across either fails on a large store ("Recursive read lock acquisitions not allowed").
    /// </summary>
    public static IEnumerable<T[]> PagesById<T>(this ILiteCollection<T> collection, Func<T, int> idOf, int size = 500)
    {
        var after = int.MinValue;
        while (true)
        {
            var page = collection.Query().Where(StoredFilter.Above("_id", after)).OrderBy("_id").Limit(size).ToArray();
            if (page.Length > 0) yield return page;
            if (page.Length < size) yield break;
            after = idOf(page[^1]);
        }
    }
}
