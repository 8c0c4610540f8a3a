namespace Smart.Web.Storage.Audit;

/// <summary>
/// Who changed what and when. The directory stores write it themselves, in the same transaction as the change,
/// so no caller can change a member, production unit or client without an entry.
/// </summary>
public interface IAuditLog
{
    /// <summary>Records a change made outside the directory stores (a rule set, for instance). The store assigns Id; AtUtc is kept as given.</summary>
    Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The history of one record, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ForEntityAsync(string entityType, string entityId, int take = 100, CancellationToken cancellationToken = default);

    /// <summary>Changes to records of one country, newest first, a page at a time.</summary>
    Task<SearchResult<AuditEntry>> ForCountryAsync(string country, int skip = 0, int take = 50, CancellationToken cancellationToken = default);
}
