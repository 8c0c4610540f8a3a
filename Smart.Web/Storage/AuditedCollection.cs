using System.Globalization;
using LiteDB;
using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage;

/// <summary>
/// The writes of a LiteDB directory store: each insert or update and its audit entry commit together, and an update
/// only happens if the stored version is the one the editor read.
/// </summary>
internal sealed class AuditedCollection<TEntity, TDocument>(
    LiteDatabase database,
    ILiteCollection<TDocument> collection,
    LiteDbAuditLog audit,
    TimeProvider clock,
    string entityType,
    Func<TEntity, TDocument> toDocument,
    Func<TDocument, TEntity> toEntity,
    Func<TEntity, int> idOf,
    Func<TEntity, int> versionOf,
    Func<TEntity, string> countryOf,
    Func<TEntity, int, int, TEntity> stamp)
    where TEntity : class
{
    // LiteDB transactions belong to a thread: this collection's edits run one at a time so a version check and its write cannot interleave.
    private readonly Lock edits = new();

    /// <summary>
    /// Called inside each write's transaction, after the record is written, with the record before (null when created), after, and who wrote it: other
    /// writes it makes (a unit's ledger entries) commit or roll back with the record.
    /// </summary>
    public Action<TEntity?, TEntity, AuditActor>? Alongside { get; set; }

    /// <summary>
    /// Applied inside an update's transaction to the stored record and the edited one: keeps what the editor must not change (a figure
    /// another store maintains on the record), read at the moment of the write.
    /// </summary>
    public Func<TEntity, TEntity, TEntity>? Keep { get; set; }

    /// <summary>
    /// Called after every committed write with the ids it wrote (null: any record may have changed), so a store can keep what it holds in
    /// memory in step with the file (the invoice list rows).
    /// </summary>
    public Action<IReadOnlyCollection<int>?>? Committed { get; set; }

    public TEntity? Get(int id) => collection.FindById(id) is { } document ? toEntity(document) : null;

    /// <summary>Stores new records with version 1, each with a create entry, all in one transaction.</summary>
    public List<TEntity> Insert(IEnumerable<TEntity> entities, AuditActor actor)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var inserted = InTransaction(() =>
        {
            var added = new List<TEntity>();
            foreach (var entity in entities)
            {
                // Id 0 lets LiteDB number the new record.
                var document = toDocument(stamp(entity, 0, 1));
                collection.Insert(document);
                var stored = toEntity(document);
                audit.Write(Entry(now, actor, stored, AuditAction.Create, AuditChanges.Between(null, stored)));
                Alongside?.Invoke(null, stamp(entity, idOf(stored), 1), actor);
                added.Add(stored);
            }
            return added;
        });
        Committed?.Invoke(inserted.Select(idOf).ToList());
        return inserted;
    }

    /// <summary>
    /// Stores one new record with version 1 and its create entry, and runs <paramref name="alongside"/> with the stored record (its id set)
    /// in the same transaction, for what belongs to it in another collection (an expense claim's receipt): both commit or neither.
    /// </summary>
    public TEntity Insert(TEntity entity, AuditActor actor, Action<TEntity> alongside)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stored = InTransaction(() =>
        {
            var document = toDocument(stamp(entity, 0, 1));
            collection.Insert(document);
            var added = toEntity(document);
            audit.Write(Entry(now, actor, added, AuditAction.Create, AuditChanges.Between(null, added)));
            alongside(added);
            return added;
        });
        Committed?.Invoke([idOf(stored)]);
        return stored;
    }

    /// <summary>
    /// Loads many new records with version 1 through LiteDB's bulk insert and without an audit entry each: for filling a fresh store with
    /// generated volume data (tools/Smart.Volume), never for a user's change. Returns the stored documents, their ids set.
    /// </summary>
    public List<TDocument> InsertBulk(IEnumerable<TEntity> entities)
    {
        var documents = entities.Select(entity => toDocument(stamp(entity, 0, 1))).ToList();
        lock (edits) collection.InsertBulk(documents, batchSize: 10_000);
        Committed?.Invoke(null);
        return documents;
    }

    public UpdateOutcome<TEntity> Update(TEntity entity, int expectedVersion, AuditActor actor) => Notified(idOf(entity), InTransaction(() =>
    {
        if (Get(idOf(entity)) is not { } stored) return UpdateOutcome<TEntity>.Missing;
        var storedVersion = versionOf(stored);
        if (storedVersion != expectedVersion) return UpdateOutcome<TEntity>.Conflict(stored);
        var updated = stamp(Keep is null ? entity : Keep(stored, entity), idOf(stored), storedVersion + 1);
        var changes = AuditChanges.Between(stored, updated);
        // Saving an unchanged form is not a change: no new version, no audit entry.
        if (changes.Count == 0) return UpdateOutcome<TEntity>.Saved(stored);
        collection.Update(toDocument(updated));
        audit.Write(Entry(clock.GetUtcNow().UtcDateTime, actor, updated, AuditAction.Update, changes));
        Alongside?.Invoke(stored, updated, actor);
        return UpdateOutcome<TEntity>.Saved(updated);
    }));

    /// <summary>
    /// Replaces a record by what <paramref name="change"/> makes of the stored one, computed inside the edit lock and transaction so
    /// other writes it makes (an invoice number counter) commit or roll back with it; a null change leaves the record as it is, a conflict.
    /// </summary>
    public UpdateOutcome<TEntity> Update(int id, AuditActor actor, Func<TEntity, TEntity?> change) => Notified(id, InTransaction(() =>
    {
        if (Get(id) is not { } stored) return UpdateOutcome<TEntity>.Missing;
        if (change(stored) is not { } changed) return UpdateOutcome<TEntity>.Conflict(stored);
        var updated = stamp(changed, id, versionOf(stored) + 1);
        collection.Update(toDocument(updated));
        audit.Write(Entry(clock.GetUtcNow().UtcDateTime, actor, updated, AuditAction.Update, AuditChanges.Between(stored, updated)));
        Alongside?.Invoke(stored, updated, actor);
        return UpdateOutcome<TEntity>.Saved(updated);
    }));

    /// <summary>
    /// Several updates in one transaction (a bulk job's batch): each stored record goes through its change, computed inside the lock as in
    /// <see cref="Update(int, AuditActor, Func{TEntity, TEntity?})"/>; a null change leaves it as it is. Each write is audited with the changes
    /// <paramref name="describe"/> gives. Returns, in order, whether each was written. <paramref name="beforeCommit"/> runs last in the
    /// transaction with that list (a re-evaluation run's progress); it may throw to roll the whole batch back.
    /// A bulk job may read the batch's stored records itself, in the transaction (<paramref name="readStored"/>: one query, and only what its
    /// changes and <paramref name="alongside"/> read), with what it writes beside each record read for the batch too (<paramref name="alongside"/>
    /// instead of <see cref="Alongside"/>).
    /// </summary>
    public List<bool> UpdateMany(IReadOnlyList<(int Id, Func<TEntity, TEntity?> Change)> updates, AuditActor actor, Func<TEntity, TEntity, IReadOnlyList<AuditChange>> describe,
        Action<IReadOnlyList<bool>>? beforeCommit = null, Func<IReadOnlyCollection<int>, IReadOnlyDictionary<int, TEntity>>? readStored = null,
        Action<TEntity?, TEntity, AuditActor>? alongside = null)
    {
        var ids = new List<int>();
        var result = InTransaction(() =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var written = new List<bool>();
            var entries = new List<AuditEntry>();
            var read = readStored?.Invoke(updates.Select(u => u.Id).ToList());
            foreach (var (id, change) in updates)
            {
                if ((read is null ? Get(id) : read.GetValueOrDefault(id)) is not { } stored || change(stored) is not { } changed)
                {
                    written.Add(false);
                    continue;
                }
                var updated = stamp(changed, id, versionOf(stored) + 1);
                collection.Update(toDocument(updated));
                entries.Add(Entry(now, actor, updated, AuditAction.Update, describe(stored, updated)));
                (alongside ?? Alongside)?.Invoke(stored, updated, actor);
                written.Add(true);
                ids.Add(id);
            }
            // One insert for the batch's entries: the same entries, without a call into LiteDB for each.
            audit.Write(entries);
            beforeCommit?.Invoke(written);
            return written;
        });
        Committed?.Invoke(ids);
        return result;
    }

    private T Notified<T>(int id, T outcome)
    {
        Committed?.Invoke([id]);
        return outcome;
    }

    private AuditEntry Entry(DateTime now, AuditActor actor, TEntity entity, AuditAction action, IReadOnlyList<AuditChange> changes) =>
        new(0, now, actor.Name, entityType, idOf(entity).ToString(CultureInfo.InvariantCulture), countryOf(entity), action, changes);

    private T InTransaction<T>(Func<T> work) => database.InTransaction(edits, work);
}
