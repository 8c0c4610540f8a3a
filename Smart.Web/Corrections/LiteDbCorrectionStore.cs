using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Corrections;

/// <summary>
/// Correction runs in the LiteDB file: each record as its JSON beside the fields a query reads. A statement's and a corrective pair's id is
/// their key (<c>run:member:year</c>, <c>run:invoice</c>), so the check and the insert are one step under the store's lock.
/// </summary>
public sealed class LiteDbCorrectionStore : ICorrectionStore
{
    private readonly ILiteCollection<StoredRun> runs;
    private readonly ILiteCollection<StoredStatement> statements;
    private readonly ILiteCollection<StoredCorrection> corrections;
    private readonly Lock writes = new();

    public LiteDbCorrectionStore(LiteDatabase database)
    {
        runs = database.GetCollection<StoredRun>("correctionRuns");
        runs.EnsureIndex(r => r.Status);
        statements = database.GetCollection<StoredStatement>("regularisationStatements");
        statements.EnsureIndex(s => s.RunId);
        statements.EnsureIndex(s => s.MemberId);
        corrections = database.GetCollection<StoredCorrection>("correctiveDocuments");
        corrections.EnsureIndex(c => c.RunId);
    }

    public Task<CorrectionRun> AddAsync(CorrectionRun run, CancellationToken cancellationToken = default)
    {
        lock (writes)
        {
            var stored = new StoredRun { Country = run.Country, Status = run.Status.ToString(), Json = "{}" };
            runs.Insert(stored);
            var added = run with { Id = stored.Id };
            stored.Json = PostgreSqlJson.Write(added);
            runs.Update(stored);
            return Task.FromResult(added);
        }
    }

    public Task<CorrectionRun?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(runs.FindById(id) is { } stored ? stored.ToRun() : null);

    public Task SaveAsync(CorrectionRun run, CancellationToken cancellationToken = default)
    {
        lock (writes) runs.Update(StoredRun.Of(run));
        return Task.CompletedTask;
    }

    public Task<bool> TryReviewAsync(int id, bool accept, string reviewedBy, DateTime atUtc, string? note, CancellationToken cancellationToken = default)
    {
        lock (writes)
        {
            if (runs.FindById(id)?.ToRun() is not { Status: CorrectionStatus.Proposed } run) return Task.FromResult(false);
            runs.Update(StoredRun.Of(run with
            {
                Status = accept ? CorrectionStatus.Approved : CorrectionStatus.Rejected,
                ReviewedBy = reviewedBy,
                ReviewedAtUtc = atUtc,
                ReviewNote = note,
                FinishedAtUtc = accept ? null : atUtc,
            }));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<CorrectionRun>> ListAsync(CountryScope scope, int take, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CorrectionRun>>(runs.Query().OrderByDescending(r => r.Id).ToEnumerable()
            .Where(r => scope.Includes(r.Country)).Take(Math.Clamp(take, 1, 1000)).Select(r => r.ToRun()).ToList());

    public Task<IReadOnlyList<CorrectionRun>> OrphanedAsync(CancellationToken cancellationToken = default)
    {
        string[] statuses = [nameof(CorrectionStatus.Approved), nameof(CorrectionStatus.Comparing), nameof(CorrectionStatus.Correcting)];
        return Task.FromResult<IReadOnlyList<CorrectionRun>>(runs.Find(StoredFilter.In("Status", statuses.Select(s => new BsonValue(s))))
            .Where(r => !claims.ContainsKey(r.Id)).OrderBy(r => r.Id).Select(r => r.ToRun()).ToList());
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> claims = new();

    public Task<IAsyncDisposable?> TryClaimAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable?>(claims.TryAdd(id, true) ? new Claim(claims, id) : null);

    private sealed class Claim(System.Collections.Concurrent.ConcurrentDictionary<int, bool> claims, int id) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            claims.TryRemove(id, out _);
            return ValueTask.CompletedTask;
        }
    }

    public Task<bool> TryAddStatementAsync(RegularisationStatement statement, CancellationToken cancellationToken = default)
    {
        lock (writes)
        {
            var key = StatementKey(statement.RunId, statement.MemberId, statement.Year);
            if (statements.FindById(key) is not null) return Task.FromResult(false);
            statements.Insert(new StoredStatement
            {
                Id = key, RunId = statement.RunId, MemberId = statement.MemberId, Year = statement.Year, Json = PostgreSqlJson.Write(statement),
            });
            return Task.FromResult(true);
        }
    }

    public Task<RegularisationStatement?> StatementAsync(int runId, int memberId, int year, CancellationToken cancellationToken = default) =>
        Task.FromResult(statements.FindById(StatementKey(runId, memberId, year)) is { } stored ? PostgreSqlJson.Read<RegularisationStatement>(stored.Json) : null);

    public Task<IReadOnlyList<RegularisationStatement>> StatementsAsync(int runId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RegularisationStatement>>(statements.Find(s => s.RunId == runId)
            .Select(s => PostgreSqlJson.Read<RegularisationStatement>(s.Json)).OrderBy(s => s.Year).ThenBy(s => s.Member, StringComparer.Ordinal).ThenBy(s => s.MemberId).ToList());

    public Task<IReadOnlyList<RegularisationStatement>> StatementsOfAsync(int memberId, int year, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RegularisationStatement>>(statements.Find(s => s.MemberId == memberId).Where(s => s.Year == year)
            .Select(s => PostgreSqlJson.Read<RegularisationStatement>(s.Json)).OrderByDescending(s => s.RunId).ToList());

    public Task<CorrectiveDocuments?> CorrectionAsync(int runId, int invoiceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(corrections.FindById(CorrectionKey(runId, invoiceId)) is { } stored ? PostgreSqlJson.Read<CorrectiveDocuments>(stored.Json) : null);

    public Task SaveCorrectionAsync(CorrectiveDocuments correction, CancellationToken cancellationToken = default)
    {
        lock (writes)
            corrections.Upsert(new StoredCorrection
            {
                Id = CorrectionKey(correction.RunId, correction.InvoiceId), RunId = correction.RunId, InvoiceId = correction.InvoiceId,
                Json = PostgreSqlJson.Write(correction),
            });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CorrectiveDocuments>> CorrectionsAsync(int runId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CorrectiveDocuments>>(corrections.Find(c => c.RunId == runId).OrderBy(c => c.InvoiceId)
            .Select(c => PostgreSqlJson.Read<CorrectiveDocuments>(c.Json)).ToList());

    /// <summary>Every run in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<CorrectionRun> All() => runs.Find(Query.All("_id")).Select(r => r.ToRun());

    /// <summary>Every run's statements, in key order (the move to PostgreSQL).</summary>
    internal IEnumerable<RegularisationStatement> AllStatements() =>
        statements.Find(Query.All("_id")).Select(s => PostgreSqlJson.Read<RegularisationStatement>(s.Json));

    /// <summary>Every run's corrective documents, in key order (the move to PostgreSQL).</summary>
    internal IEnumerable<CorrectiveDocuments> AllCorrections() => corrections.Find(Query.All("_id")).Select(c => PostgreSqlJson.Read<CorrectiveDocuments>(c.Json));

    private static string StatementKey(int runId, int memberId, int year) => FormattableString.Invariant($"{runId}:{memberId}:{year}");

    private static string CorrectionKey(int runId, int invoiceId) => FormattableString.Invariant($"{runId}:{invoiceId}");

    private sealed class StoredRun
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Country { get; set; } = "";
        public string Status { get; set; } = "";
        public string Json { get; set; } = "";

        public static StoredRun Of(CorrectionRun run) => new() { Id = run.Id, Country = run.Country, Status = run.Status.ToString(), Json = PostgreSqlJson.Write(run) };

        public CorrectionRun ToRun() => PostgreSqlJson.Read<CorrectionRun>(Json) with { Id = Id };
    }

    private sealed class StoredStatement
    {
        [BsonId] public string Id { get; set; } = "";
        public int RunId { get; set; }
        public int MemberId { get; set; }
        public int Year { get; set; }
        public string Json { get; set; } = "";
    }

    private sealed class StoredCorrection
    {
        [BsonId] public string Id { get; set; } = "";
        public int RunId { get; set; }
        public int InvoiceId { get; set; }
        public string Json { get; set; } = "";
    }
}
