using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LiteDB;
using Smart.Rules.Evaluation;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace Smart.Web.Storage;

/// <summary>
/// The evaluations (with their traces) of a store's documents, in a collection of their own keyed by the document's id: a document read
/// for a list, a filter or the rows in memory stays small, and an evaluation is read only for the documents a caller is given. Written by
/// the store inside the transaction of the document's write. Kept as the API writes it: LiteDB's mapper cannot rebuild its records or
/// DateOnly values.
/// </summary>
internal sealed class StoredEvaluations<T> where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Reads an evaluation without its trace, which is most of its JSON and most of the work of reading it: what a list is given, as the
    /// PostgreSQL stores give a list the evaluation kept without its trace in the row's document.
    /// </summary>
    private static readonly JsonSerializerOptions WithoutTrace = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipTrace } },
    };

    /// <summary>The field holding the evaluation's JSON, here and (before the move) inside the documents.</summary>
    public const string Field = "Evaluation";

    private readonly LiteDatabase database;
    private readonly ILiteCollection<BsonDocument> evaluations;

    public StoredEvaluations(LiteDatabase database, string collection)
    {
        this.database = database;
        evaluations = database.GetCollection(collection);
    }

    public T? Read(int id) => evaluations.FindById(id) is { } stored ? Parse(stored) : null;

    /// <summary>The evaluations of these documents in one read; a document without one is absent.</summary>
    public Dictionary<int, T> Read(IEnumerable<int> ids) => Read(ids, Json);

    /// <summary>As <see cref="Read(IEnumerable{int})"/>, each evaluation without its trace (empty): for a list, which shows no explanation.</summary>
    public Dictionary<int, T> ReadWithoutTrace(IEnumerable<int> ids) => Read(ids, WithoutTrace);

    private Dictionary<int, T> Read(IEnumerable<int> ids, JsonSerializerOptions options)
    {
        var keys = ids.Distinct().ToList();
        return keys.Count == 0 ? [] : evaluations.Find(StoredFilter.Ids(keys)).ToDictionary(d => d["_id"].AsInt32, d => Parse(d, options)!);
    }

    /// <summary>Inside the document's write transaction: the new evaluation stored, replaced or removed; the one read with the document is not written again.</summary>
    public void Write(int id, T? before, T? after)
    {
        if (ReferenceEquals(before, after)) return;
        if (after is null) evaluations.Delete(id);
        else evaluations.Upsert(Document(id, after));
    }

    /// <summary>Generated documents' evaluations, after their documents were bulk-loaded (tools/Smart.Volume).</summary>
    public void InsertMany(IEnumerable<(int Id, T? Evaluation)> loaded) =>
        evaluations.InsertBulk(loaded.Where(l => l.Evaluation is not null).Select(l => Document(l.Id, l.Evaluation!)), batchSize: 10_000);

    /// <summary>
    /// Once per store file: moves the evaluations still embedded in <paramref name="documents"/> (files written before this collection)
    /// here, a batch of documents at a time in id order, each batch one transaction (the evaluations inserted and the field removed from the
    /// documents together), so a start stopped half-way continues where it was. Recorded as done in <c>storeMigrations</c>: later starts read
    /// one small document, not the collection.
    /// </summary>
    public void MoveEmbedded(string documents, int batch = 500)
    {
        var done = database.GetCollection("storeMigrations");
        var name = $"{documents}: evaluations in {evaluations.Name}";
        if (done.FindById(name) is not null) return;
        var source = database.GetCollection(documents);
        var edits = new Lock();
        for (var cursor = 0; ;)
        {
            var read = source.Query().Where("_id > @0", cursor).OrderBy("_id").Limit(batch).ToList();
            if (read.Count == 0) break;
            var embedded = read.Where(d => d.ContainsKey(Field)).ToList();
            if (embedded.Count > 0)
                database.InTransaction(edits, () =>
                {
                    foreach (var document in embedded)
                    {
                        if (document[Field] is { IsString: true } json)
                            evaluations.Upsert(new BsonDocument { ["_id"] = document["_id"], [Field] = json });
                        document.Remove(Field);
                        source.Update(document);
                    }
                    return embedded.Count;
                });
            cursor = read[^1]["_id"].AsInt32;
        }
        done.Upsert(new BsonDocument { ["_id"] = name, ["DoneUtc"] = DateTime.UtcNow });
    }

    private static BsonDocument Document(int id, T evaluation) => new() { ["_id"] = id, [Field] = JsonSerializer.Serialize(evaluation, Json) };

    private static T? Parse(BsonDocument stored, JsonSerializerOptions? options = null) =>
        stored[Field] is { IsString: true } json ? JsonSerializer.Deserialize<T>(json.AsString, options ?? Json) : null;

    private static void SkipTrace(JsonTypeInfo type)
    {
        if (type.Type != typeof(T)) return;
        foreach (var property in type.Properties)
            if (property.PropertyType == typeof(IReadOnlyList<TraceEntry>)) property.CustomConverter = SkippedTrace.Instance;
    }

    /// <summary>Passes over a trace's JSON without building it.</summary>
    private sealed class SkippedTrace : JsonConverter<IReadOnlyList<TraceEntry>>
    {
        public static readonly SkippedTrace Instance = new();

        public override IReadOnlyList<TraceEntry> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            reader.Skip();
            return [];
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<TraceEntry> value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Only read: an evaluation is written with its trace.");
    }
}
