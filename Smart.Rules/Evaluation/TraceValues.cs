using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Smart.Rules.Evaluation;

/// <summary>
/// The named values a fired rule used, as a read-only dictionary over the rule's precomputed names and one value
/// array: a trace entry costs one small array, not a hash table, because every line of every document gets one.
/// </summary>
internal sealed class TraceValues(string[] names, object?[] values) : IReadOnlyDictionary<string, object?>
{
    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
    public IEnumerable<string> Keys => names;
    public IEnumerable<object?> Values => values;
    public int Count => names.Length;

    public bool ContainsKey(string key) => Array.IndexOf(names, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        var index = Array.IndexOf(names, key);
        value = index >= 0 ? values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < names.Length; i++) yield return new(names[i], values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
