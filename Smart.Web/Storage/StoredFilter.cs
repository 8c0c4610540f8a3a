using LiteDB;

namespace Smart.Web.Storage;

/// <summary>
/// A filter on one field of a LiteDB document, its value passed as the parameter @0. LiteDB's own <c>Query.EQ</c>, <c>Query.GT</c>,
/// <c>Query.In</c> write the value into the expression's text, and LiteDB compiles every distinct text (System.Linq.Expressions, about
/// 0.8 ms) and keeps it in a static cache for the life of the process: a read by unit, source or page of ids was compiled anew for each
/// value, and never freed. With the value as a parameter the text, and so its compiled form, is one per field. The index is used alike
/// (the plan of <c>$._id IN @0</c> is an index seek).
/// </summary>
internal static class StoredFilter
{
    public static BsonExpression Equal(string field, BsonValue value) => BsonExpression.Create($"$.{field} = @0", value);

    public static BsonExpression Above(string field, BsonValue value) => BsonExpression.Create($"$.{field} > @0", value);

    public static BsonExpression AtLeast(string field, BsonValue value) => BsonExpression.Create($"$.{field} >= @0", value);

    public static BsonExpression AtMost(string field, BsonValue value) => BsonExpression.Create($"$.{field} <= @0", value);

    public static BsonExpression In(string field, IEnumerable<BsonValue> values) => BsonExpression.Create($"$.{field} IN @0", new BsonArray(values));

    /// <summary>The documents with these ids.</summary>
    public static BsonExpression Ids(IEnumerable<int> ids) => In("_id", ids.Select(id => new BsonValue(id)));
}
