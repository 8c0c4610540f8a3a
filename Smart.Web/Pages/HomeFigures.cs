using System.Collections.Concurrent;

namespace Smart.Web.Pages;

/// <summary>
/// The home page's figures that read a year of a country's invoices (the charts) or every overdue one (their count and amount). On a
/// full year one pass takes seconds, so it is made once per country and day and shared: after a minute the next visitor starts a new
/// pass in the background and is shown the previous figures meanwhile; only the first visitor of the day waits. A hundred staff opening
/// the home page cost one pass a minute, not a hundred. The lists a person acts on (the oldest overdue invoices, drafts, bank lines)
/// are read live.
/// </summary>
public sealed class HomeFigures(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Figures> byKey = new(StringComparer.Ordinal);

    /// <summary><paramref name="make"/> must not depend on the caller's request: later callers may be given what it made.</summary>
    public async Task<T> GetAsync<T>(string key, Func<Task<T>> make) where T : notnull
    {
        if (!byKey.TryGetValue(key, out var figures))
        {
            // A new key is a new day's (or country's) figures: the ones nobody asked for since yesterday go, so the keys do not pile up.
            foreach (var (oldKey, old) in byKey)
                lock (old)
                    if (old.Making is null && old.Last is { } made && clock.GetUtcNow() - made.At > TimeSpan.FromDays(1)) byKey.TryRemove(oldKey, out _);
            figures = byKey.GetOrAdd(key, _ => new Figures());
        }
        Task<Made> making;
        lock (figures)
        {
            if (figures.Last is { } last && clock.GetUtcNow() - last.At < Lifetime) return (T)last.Value;
            figures.Making ??= MakeAsync(figures, async () => await make());
            if (figures.Last is { } previous) return (T)previous.Value;
            making = figures.Making;
        }
        return (T)(await making).Value;
    }

    /// <summary>How many keys' figures are kept.</summary>
    public int Kept => byKey.Count;

    private async Task<Made> MakeAsync(Figures figures, Func<Task<object>> make)
    {
        // Off the caller's thread at once, so the lock above is never held while a pass runs.
        await Task.Yield();
        try
        {
            var made = new Made(clock.GetUtcNow(), await make());
            lock (figures) figures.Last = made;
            return made;
        }
        finally
        {
            // A failed pass is not kept: its waiters see the failure, the next caller starts again.
            lock (figures) figures.Making = null;
        }
    }

    private sealed class Figures
    {
        public Made? Last;
        public Task<Made>? Making;
    }

    private sealed record Made(DateTimeOffset At, object Value);
}
