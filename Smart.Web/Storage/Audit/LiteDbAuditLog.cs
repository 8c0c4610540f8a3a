using LiteDB;

namespace Smart.Web.Storage.Audit;

public sealed class LiteDbAuditLog : IAuditLog
{
    private readonly ILiteCollection<AuditDocument> entries;

    public LiteDbAuditLog(LiteDatabase database)
    {
        entries = database.GetCollection<AuditDocument>("audit");
        entries.EnsureIndex(e => e.EntityKey);
        entries.EnsureIndex(e => e.Country);
    }

    public Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        Write(entry);
        return Task.CompletedTask;
    }

    /// <summary>For the LiteDB stores, inside the transaction of the change it records.</summary>
    internal void Write(AuditEntry entry) => entries.Insert(AuditDocument.From(entry));

    /// <summary>As <see cref="Write(AuditEntry)"/>, many entries in the order given.</summary>
    internal void Write(IEnumerable<AuditEntry> written) => entries.Insert(written.Select(AuditDocument.From));

    public Task<IReadOnlyList<AuditEntry>> ForEntityAsync(string entityType, string entityId, int take = 100, CancellationToken cancellationToken = default)
    {
        var key = AuditDocument.KeyOf(entityType, entityId);
        // Ids grow with time, so the newest entry has the highest id.
        IReadOnlyList<AuditEntry> found = entries.Query().Where(e => e.EntityKey == key)
            .OrderByDescending(e => e.Id).Limit(take).ToEnumerable().Select(e => e.ToEntry()).ToList();
        return Task.FromResult(found);
    }

    public Task<SearchResult<AuditEntry>> ForCountryAsync(string country, int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        country = CountryCode.Normalise(country);
        var rows = entries.Query().Where(e => e.Country == country)
            .OrderByDescending(e => e.Id).Skip(skip).Limit(take).ToEnumerable().Select(e => e.ToEntry()).ToList();
        return Task.FromResult(new SearchResult<AuditEntry>(rows, entries.Count(e => e.Country == country)));
    }

    /// <summary>Every entry in the order written (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<AuditEntry> All() => entries.Find(Query.All("_id")).Select(e => e.ToEntry());

    private sealed class AuditDocument
    {
        [BsonId(autoId: true)] public long Id { get; set; }
        public DateTime AtUtc { get; set; }
        public string Actor { get; set; } = "";
        public string EntityType { get; set; } = "";
        public string EntityId { get; set; } = "";
        /// <summary>Type and id in one indexed value, so a record's history is one index lookup.</summary>
        public string EntityKey { get; set; } = "";
        public string Country { get; set; } = "";
        public AuditAction Action { get; set; }
        public List<ChangeDocument> Changes { get; set; } = [];

        public static string KeyOf(string entityType, string entityId) => $"{entityType}/{entityId}";

        public static AuditDocument From(AuditEntry entry) => new()
        {
            AtUtc = entry.AtUtc, Actor = entry.Actor, EntityType = entry.EntityType, EntityId = entry.EntityId,
            EntityKey = KeyOf(entry.EntityType, entry.EntityId), Country = CountryCode.Normalise(entry.Country), Action = entry.Action,
            Changes = entry.Changes.Select(c => new ChangeDocument { Field = c.Field, Before = c.Before, After = c.After }).ToList(),
        };

        // LiteDB hands dates back in local time.
        public AuditEntry ToEntry() => new(Id, AtUtc.ToUniversalTime(), Actor, EntityType, EntityId, Country, Action,
            Changes.Select(c => new AuditChange(c.Field, c.Before, c.After)).ToList());
    }

    private sealed class ChangeDocument
    {
        public string Field { get; set; } = "";
        public string? Before { get; set; }
        public string? After { get; set; }
    }
}
