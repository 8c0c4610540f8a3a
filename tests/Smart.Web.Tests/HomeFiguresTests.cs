using Smart.Web.Pages;
using StoppedClock = Smart.Web.Tests.Storage.RuleSetStoreContract.StoppedClock;

namespace Smart.Web.Tests;

/// <summary>The home page's year-long figures: one pass shared by everyone asking, the previous figures shown while the next is made.</summary>
public sealed class HomeFiguresTests
{
    private readonly StoppedClock clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private int passes;

    private Func<Task<string>> Pass(TaskCompletionSource<string> done) => () =>
    {
        Interlocked.Increment(ref passes);
        return done.Task;
    };

    [Fact]
    public async Task Callers_arriving_during_the_first_pass_wait_for_that_same_pass()
    {
        var figures = new HomeFigures(clock);
        var first = new TaskCompletionSource<string>();
        var waiting = Enumerable.Range(0, 20).Select(_ => figures.GetAsync("charts BE", Pass(first))).ToList();
        first.SetResult("year 1");

        Assert.All(await Task.WhenAll(waiting), f => Assert.Equal("year 1", f));
        Assert.Equal(1, passes);
    }

    [Fact]
    public async Task Figures_nobody_asked_for_since_yesterday_are_dropped_when_a_new_day_begins()
    {
        var figures = new HomeFigures(clock);
        Assert.Equal("day 1", await figures.GetAsync("charts BE 2026-12-02", () => Task.FromResult("day 1")));
        Assert.Equal("FR day 1", await figures.GetAsync("charts FR 2026-12-02", () => Task.FromResult("FR day 1")));
        clock.Advance(TimeSpan.FromHours(12));
        Assert.Equal("day 2", await figures.GetAsync("charts BE 2026-12-03", () => Task.FromResult("day 2")));
        Assert.Equal(3, figures.Kept);

        clock.Advance(TimeSpan.FromHours(13));
        Assert.Equal("day 3", await figures.GetAsync("charts BE 2026-12-04", () => Task.FromResult("day 3")));
        // The first day's two are over a day old; the second day's is not yet.
        Assert.Equal(2, figures.Kept);
    }

    [Fact]
    public async Task Within_a_minute_the_figures_are_shared_then_the_previous_ones_are_shown_while_the_next_pass_runs()
    {
        var figures = new HomeFigures(clock);
        Assert.Equal("before", await figures.GetAsync("charts BE", () => Task.FromResult("before")));
        clock.Advance(TimeSpan.FromSeconds(59));
        var next = new TaskCompletionSource<string>();
        Assert.Equal("before", await figures.GetAsync("charts BE", Pass(next)));
        Assert.Equal(0, passes);

        clock.Advance(TimeSpan.FromSeconds(2));
        // Older than a minute: a new pass starts, and nobody waits for it.
        Assert.Equal("before", await figures.GetAsync("charts BE", Pass(next)));
        Assert.Equal("before", await figures.GetAsync("charts BE", Pass(next)));
        next.SetResult("after");
        await WaitUntil(async () => await figures.GetAsync("charts BE", Pass(next)) == "after");
        Assert.Equal(1, passes);
        // Another key is its own pass.
        Assert.Equal("FR", await figures.GetAsync("charts FR", () => Task.FromResult("FR")));
    }

    [Fact]
    public async Task A_failed_pass_is_not_kept_and_the_next_caller_starts_again()
    {
        var figures = new HomeFigures(clock);
        await Assert.ThrowsAsync<InvalidOperationException>(() => figures.GetAsync<string>("overdue *", () => throw new InvalidOperationException("store closed")));
        Assert.Equal("again", await figures.GetAsync("overdue *", () => Task.FromResult("again")));
    }

    private static async Task WaitUntil(Func<Task<bool>> done)
    {
        for (var i = 0; i < 1_000 && !await done(); i++) await Task.Delay(10); // up to 10 s: a loaded CI machine is slow to schedule the background pass
        Assert.True(await done());
    }
}
