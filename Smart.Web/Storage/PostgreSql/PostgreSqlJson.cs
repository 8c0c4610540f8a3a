using System.Text.Json;
using System.Text.Json.Serialization;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// How the PostgreSQL stores write a record into its <c>document jsonb</c> column: the entity as it is, enums by name (readable in psql,
/// stable when an enum gains a member), dates as ISO text. Columns beside the document hold only what the database must index,
/// constrain or sort.
/// </summary>
public static class PostgreSqlJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"A stored {typeof(T).Name} is null.");
}
