namespace Smart.Web.Storage;

public enum UpdateStatus
{
    Updated,
    /// <summary>Someone saved the record since the form was read: nothing was written.</summary>
    ConcurrencyConflict,
    NotFound,
}

/// <summary>
/// What an edit did. A stale version is an expected outcome of two people editing, not a fault, so it is a result
/// rather than an exception. <see cref="Current"/> is the saved record when updated and the newer stored one on a conflict.
/// </summary>
public sealed record UpdateOutcome<T>(UpdateStatus Status, T? Current) where T : class
{
    public bool Updated => Status == UpdateStatus.Updated;

    public static UpdateOutcome<T> Saved(T current) => new(UpdateStatus.Updated, current);
    public static UpdateOutcome<T> Conflict(T current) => new(UpdateStatus.ConcurrencyConflict, current);
    public static UpdateOutcome<T> Missing { get; } = new(UpdateStatus.NotFound, null);
}
