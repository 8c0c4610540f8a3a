using Smart.Web.BankStatements;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Tests.Storage;

/// <summary>The bank statement store's contract, run on both stores.</summary>
public abstract class BankStatementStoreContract
{
    protected abstract Task<IBankStatementStore> OpenAsync();

    private static BankStatement Statement(string country) => new()
    {
        Country = country, Format = "CODA", FileName = "statement.cod", Account = "BE68539007547034", Currency = "EUR", Number = "042",
        Date = new DateOnly(2026, 11, 30), OpeningBalance = 100m, ClosingBalance = 350.25m, ImportedBy = "staff@smart.test",
        ImportedAtUtc = new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc),
    };

    private static StatementLine Line(string key, string country, int day, StatementLineStatus status = StatementLineStatus.Waiting) => new()
    {
        Key = key, Country = country, Date = new DateOnly(2026, 11, day), Amount = 125.125m, Currency = "EUR", Communication = "invoice",
        Status = status, Waiting = status == StatementLineStatus.Waiting ? WaitingReason.NoMatch : null,
    };

    [Fact]
    public async Task A_movement_is_stored_once_however_many_statements_carry_it()
    {
        var store = await OpenAsync();
        var first = await store.AddAsync(Statement("BE"), [Line("m1", "BE", 20), Line("m2", "BE", 10, StatementLineStatus.Outgoing)]);
        var second = await store.AddAsync(Statement("BE") with { Number = "043" }, [Line("m2", "BE", 10), Line("m3", "BE", 25)]);

        Assert.Equal(new HashSet<string> { "m1", "m2" }, await store.KnownAsync(["m1", "m2", "m9"]));
        Assert.Equal(["m1", "m2"], (await store.LinesAsync(first.Id)).Select(l => l.Key));
        Assert.Equal(["m3"], (await store.LinesAsync(second.Id)).Select(l => l.Key));
        var read = (await store.GetAsync(first.Id))!;
        Assert.Equal(Statement("BE") with { Id = first.Id }, read);
        Assert.Equal(["043", "042"], (await store.LatestAsync(CountryScope.Only("BE"), 10)).Select(s => s.Number));
        Assert.Empty(await store.LatestAsync(CountryScope.Only("FR"), 10));
        var line = (await store.LinesAsync(first.Id))[0];
        Assert.Equal((125.125m, new DateOnly(2026, 11, 20), 1, first.Id), (line.Amount, line.Date, line.Version, line.StatementId));
    }

    [Fact]
    public async Task A_waiting_line_is_decided_once_at_the_version_read()
    {
        var store = await OpenAsync();
        var statement = await store.AddAsync(Statement("BE"), [Line("late", "BE", 28), Line("early", "BE", 3)]);
        await store.AddAsync(Statement("FR"), [Line("french", "FR", 1)]);
        var waiting = await store.WaitingAsync(CountryScope.Only("BE"));
        Assert.Equal(["early", "late"], waiting.Select(l => l.Key));
        Assert.Equal(3, (await store.WaitingAsync(CountryScope.All)).Count);

        var decided = waiting[0] with
        {
            Status = StatementLineStatus.Dismissed,
            Note = "a grant",
            DecidedBy = "staff@smart.test",
            DecidedAtUtc = new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc),
            Amount = 1m,
        };
        var outcome = await store.DecideAsync(decided, expectedVersion: 1);
        Assert.True(outcome.Updated);
        Assert.Equal(125.125m, outcome.Current!.Amount);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await store.DecideAsync(decided, expectedVersion: 2)).Status);
        Assert.Equal(UpdateStatus.NotFound, (await store.DecideAsync(decided with { Id = 999 }, 1)).Status);

        var stored = (await store.GetLineAsync(waiting[0].Id))!;
        Assert.Equal((StatementLineStatus.Dismissed, "a grant", 2), (stored.Status, stored.Note, stored.Version));
        Assert.Equal(DateTimeKind.Utc, stored.DecidedAtUtc!.Value.Kind);
        Assert.Equal(["late"], (await store.WaitingAsync(CountryScope.Only("BE"))).Select(l => l.Key));
        Assert.Equal(statement.Id, stored.StatementId);
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbBankStatementStoreTests : BankStatementStoreContract, IDisposable
{
    private readonly TemporaryStore store = new();

    protected override Task<IBankStatementStore> OpenAsync() => Task.FromResult<IBankStatementStore>(new LiteDbBankStatementStore(store.Database));

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlBankStatementStoreTests : BankStatementStoreContract, IAsyncDisposable
{
    private PostgreSqlDirectory? database;

    protected override async Task<IBankStatementStore> OpenAsync()
    {
        database = await PostgreSqlDirectory.OpenAsync();
        return new PostgreSqlBankStatementStore(database.DataSource);
    }

    public async ValueTask DisposeAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
