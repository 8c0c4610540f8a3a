using System.Collections.Concurrent;
using LiteDB;
using Smart.Web.Storage;

namespace Smart.Web.Reevaluation;

/// <summary>
/// The re-evaluation runs in the LiteDB file, which one process opens: a run's claim is held in this store (a process that dies takes its
/// claims with it), and a batch's progress is written in the transaction of the batch's documents (<see cref="Advancing"/>).
/// </summary>
public sealed class LiteDbReevaluationStore : IReevaluationStore
{
    private const string Collection = "reevaluationRuns";
    private readonly ILiteCollection<StoredRun> runs;
    private readonly ConcurrentDictionary<int, Claim> claims = new();

    public LiteDbReevaluationStore(LiteDatabase database)
    {
        runs = database.GetCollection<StoredRun>(Collection);
        runs.EnsureIndex(r => r.Status);
        runs.EnsureIndex(r => r.Country);
    }

    public Task<ReevaluationRun> AddAsync(ReevaluationRun run, CancellationToken cancellationToken = default)
    {
        var stored = StoredRun.From(run with { Id = 0 });
        runs.Insert(stored);
        return Task.FromResult(stored.ToRun());
    }

    public Task<ReevaluationRun?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(runs.FindById(id)?.ToRun());

    // Static: the document stores write a batch's progress through Advance, which must not interleave with a cancel's read and write.
    private static readonly Lock writes = new();

    public Task SaveAsync(ReevaluationRun run, CancellationToken cancellationToken = default)
    {
        var stored = StoredRun.From(run);
        lock (writes)
        {
            // The job saves the whole run it holds, which never has the cancellation asked for meanwhile: the stored one is kept.
            stored.CancelledBy ??= runs.FindById(stored.Id)?.CancelledBy;
            runs.Update(stored);
        }
        return Task.CompletedTask;
    }

    public Task RequestCancelAsync(int id, string cancelledBy, CancellationToken cancellationToken = default)
    {
        lock (writes)
        {
            if (runs.FindById(id) is { CancelledBy: null } stored)
            {
                stored.CancelledBy = cancelledBy;
                runs.Update(stored);
            }
        }
        return Task.CompletedTask;
    }

    public Task<SearchResult<ReevaluationRun>> SearchAsync(CountryScope scope, int skip, int take, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return Task.FromResult(SearchResult<ReevaluationRun>.Empty);
        var query = runs.Query();
        // A run over every country touches documents the scope may not see: only unrestricted users see it.
        if (scope.Countries is { } countries) query = query.Where(StoredFilter.In("Country", countries.Select(c => new BsonValue(c))));
        var total = query.Count();
        var rows = query.OrderByDescending("_id").Skip(Math.Max(0, skip)).Limit(Math.Clamp(take, 1, 1000)).ToEnumerable().Select(r => r.ToRun()).ToList();
        return Task.FromResult(new SearchResult<ReevaluationRun>(rows, total));
    }

    public Task<IReadOnlyList<ReevaluationRun>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReevaluationRun>>(runs.Find(r => r.Status == ReevaluationStatus.Running).OrderBy(r => r.Id).Select(r => r.ToRun()).ToList());

    public Task<IAsyncDisposable?> TryClaimAsync(int id, CancellationToken cancellationToken = default)
    {
        var claim = new Claim(claims, id);
        return Task.FromResult<IAsyncDisposable?>(claims.TryAdd(id, claim) ? claim : null);
    }

    public async Task<IReadOnlyList<ReevaluationRun>> OrphanedAsync(CancellationToken cancellationToken = default) =>
        (await UnfinishedAsync(cancellationToken)).Where(r => !claims.ContainsKey(r.Id)).ToList();

    public Task<bool> TryAdvanceAsync(RunAdvance advance, CancellationToken cancellationToken = default) =>
        Task.FromResult(Advance(runs, advance, []));

    /// <summary>What a document store runs last in a batch's transaction: the run's progress, or a rollback when another execution moved it on.</summary>
    internal static Action<IReadOnlyList<bool>>? Advancing(LiteDatabase database, RunAdvance? advance) => advance is null ? null : written =>
    {
        if (!Advance(database.GetCollection<StoredRun>(Collection), advance, written)) throw new RunMovedOnException(advance.RunId);
    };

    private static bool Advance(ILiteCollection<StoredRun> runs, RunAdvance advance, IReadOnlyList<bool> written)
    {
        lock (writes)
        {
            var stored = runs.FindById(advance.RunId);
            if (!advance.StartsFrom(stored?.ToRun())) return false;
            var run = StoredRun.From(advance.After(written) with { Id = advance.RunId });
            run.CancelledBy ??= stored!.CancelledBy;
            runs.Update(run);
            return true;
        }
    }

    private sealed class Claim(ConcurrentDictionary<int, Claim> claims, int id) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            claims.TryRemove(new KeyValuePair<int, Claim>(id, this));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Every run in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<ReevaluationRun> All() => runs.Find(Query.All("_id")).Select(r => r.ToRun());

    private sealed class StoredRun
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Reason { get; set; } = "";
        public string StartedBy { get; set; } = "";
        public string? Country { get; set; }
        public DateTime StartedAtUtc { get; set; }
        public DateTime? FinishedAtUtc { get; set; }
        public int Total { get; set; }
        public int Done { get; set; }
        public int Changed { get; set; }
        public int Failed { get; set; }
        public int Skipped { get; set; }
        public int InvoiceCursor { get; set; }
        public int ContractCursor { get; set; }
        public ReevaluationStatus Status { get; set; }
        public List<string> Problems { get; set; } = [];
        public int Faulted { get; set; }
        public string? FailureReason { get; set; }
        public string? CancelledBy { get; set; }

        public static StoredRun From(ReevaluationRun r) => new()
        {
            Id = r.Id, Reason = r.Reason, StartedBy = r.StartedBy, Country = r.Country, StartedAtUtc = r.StartedAtUtc, FinishedAtUtc = r.FinishedAtUtc,
            Total = r.Total, Done = r.Done, Changed = r.Changed, Failed = r.Failed, Skipped = r.Skipped, InvoiceCursor = r.InvoiceCursor,
            ContractCursor = r.ContractCursor, Status = r.Status, Problems = [.. r.Problems], Faulted = r.Faulted, FailureReason = r.FailureReason,
            CancelledBy = r.CancelledBy,
        };

        // LiteDB hands dates back in local time.
        public ReevaluationRun ToRun() => new()
        {
            Id = Id, Reason = Reason, StartedBy = StartedBy, Country = Country, StartedAtUtc = StartedAtUtc.ToUniversalTime(),
            FinishedAtUtc = FinishedAtUtc?.ToUniversalTime(), Total = Total, Done = Done, Changed = Changed, Failed = Failed, Skipped = Skipped,
            InvoiceCursor = InvoiceCursor, ContractCursor = ContractCursor, Status = Status, Problems = Problems ?? [],
            Faulted = Faulted, FailureReason = FailureReason, CancelledBy = CancelledBy,
        };
    }
}
