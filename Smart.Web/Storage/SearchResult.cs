namespace Smart.Web.Storage;

/// <summary>One page of a directory search and how many rows match in all.</summary>
public sealed record SearchResult<T>(IReadOnlyList<T> Rows, int Total)
{
    public static SearchResult<T> Empty { get; } = new([], 0);
}
