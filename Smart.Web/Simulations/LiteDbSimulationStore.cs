using LiteDB;
using Smart.Web.Storage;

using Smart.Web.SinceIssue;

namespace Smart.Web.Simulations;

public sealed class LiteDbSimulationStore : ISimulationStore
{
    private readonly LiteDatabase database;
    private readonly ILiteCollection<StoredSimulation> simulations;
    private readonly ILiteCollection<StoredDocument> documents;

    public LiteDbSimulationStore(LiteDatabase database)
    {
        this.database = database;
        simulations = database.GetCollection<StoredSimulation>("simulations");
        simulations.EnsureIndex(s => s.Status);
        simulations.EnsureIndex(s => s.VersionId);
        documents = database.GetCollection<StoredDocument>("simulationDocuments");
        documents.EnsureIndex(d => d.SimulationId);
        documents.EnsureIndex(d => d.DocumentId);
    }

    public Task<ImpactSimulation> AddAsync(ImpactSimulation simulation, CancellationToken cancellationToken = default)
    {
        var stored = StoredSimulation.Of(simulation with { Id = 0 });
        simulations.Insert(stored);
        return Task.FromResult(stored.ToSimulation());
    }

    public Task<ImpactSimulation?> GetAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(simulations.FindById(id)?.ToSimulation());

    private readonly Lock batches = new();

    public Task SaveAsync(ImpactSimulation simulation, CancellationToken cancellationToken = default)
    {
        lock (batches) simulations.Update(KeepingCancellation(StoredSimulation.Of(simulation)));
        return Task.CompletedTask;
    }

    public Task RequestCancelAsync(int id, string cancelledBy, CancellationToken cancellationToken = default)
    {
        lock (batches)
        {
            if (simulations.FindById(id) is { CancelledBy: null } stored)
            {
                stored.CancelledBy = cancelledBy;
                simulations.Update(stored);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>The job saves the whole record it holds, which never has the cancellation asked for meanwhile: the stored one is kept.</summary>
    private StoredSimulation KeepingCancellation(StoredSimulation stored)
    {
        stored.CancelledBy ??= simulations.FindById(stored.Id)?.CancelledBy;
        return stored;
    }

    public Task SaveBatchAsync(ImpactSimulation simulation, IReadOnlyList<SimulatedDocument> affected, CancellationToken cancellationToken = default)
    {
        // A batch's affected documents and the cursor that says they are done commit together, so a restart counts nothing twice.
        database.InTransaction(batches, () =>
        {
            if (affected.Count > 0) documents.InsertBulk(affected.Select(StoredDocument.From));
            return simulations.Update(KeepingCancellation(StoredSimulation.Of(simulation)));
        });
        return Task.CompletedTask;
    }

    public Task<SearchResult<SimulatedDocument>> AffectedAsync(int simulationId, int skip, int take, CancellationToken cancellationToken = default)
    {
        var query = documents.Query().Where(d => d.SimulationId == simulationId);
        var total = query.Count();
        // In the order the batches wrote them (invoices, then contracts, each by id), which is the rows' own id order: LiteDB's index on the
        // simulation does not keep equal keys in insertion order (a contract test saw [9, 5] for rows written [5, 9]).
        var rows = query.OrderBy(d => d.Id).Skip(Math.Max(0, skip)).Limit(Math.Clamp(take, 1, 1000)).ToEnumerable().Select(d => d.ToDocument()).ToList();
        return Task.FromResult(new SearchResult<SimulatedDocument>(rows, total));
    }

    public Task<SimulatedDocument?> AffectedAsync(int simulationId, string kind, int documentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(documents.Find(d => d.DocumentId == documentId).FirstOrDefault(d => d.SimulationId == simulationId && d.Kind == kind)?.ToDocument());

    public Task<IReadOnlyList<ImpactSimulation>> OfVersionAsync(int versionId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ImpactSimulation>>(simulations.Find(s => s.VersionId == versionId).OrderByDescending(s => s.Id).Select(s => s.ToSimulation()).ToList());

    public Task<IReadOnlyList<ImpactSimulation>> UnfinishedAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ImpactSimulation>>(simulations
            .Find(s => s.Status == SimulationStatus.Queued || s.Status == SimulationStatus.Running)
            .OrderBy(s => s.Id).Select(s => s.ToSimulation()).ToList());

    /// <summary>Every simulation in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<ImpactSimulation> All() => simulations.Find(Query.All("_id")).Select(s => s.ToSimulation());

    /// <summary>Every affected document of every simulation, in the order stored (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<(int SimulationId, SimulatedDocument Document)> Documents() => documents.Find(Query.All("_id")).Select(d => (d.SimulationId, d.ToDocument()));

    private sealed class StoredSimulation
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public int VersionId { get; set; }
        public string Key { get; set; } = "";
        public int VersionNumber { get; set; }
        public string Country { get; set; } = "";
        public string DraftText { get; set; } = "";
        public DateTime From { get; set; }
        public DateTime To { get; set; }
        public DateTime? AsIfInForceFrom { get; set; }
        public string StartedBy { get; set; } = "";
        public DateTime StartedAtUtc { get; set; }
        public DateTime? FinishedAtUtc { get; set; }
        public SimulationStatus Status { get; set; }
        public string? Currency { get; set; }
        public int Total { get; set; }
        public int Done { get; set; }
        public int Affected { get; set; }
        public int Failed { get; set; }
        public int InvoiceCursor { get; set; }
        public int ContractCursor { get; set; }
        public List<StoredCount> Counts { get; set; } = [];
        public List<StoredMonth> Months { get; set; } = [];
        public List<string> Problems { get; set; } = [];
        public int Faulted { get; set; }
        public string? FailureReason { get; set; }
        public string? CancelledBy { get; set; }
        public SimulationMode Mode { get; set; }
        public DateTime? KnownBefore { get; set; }
        public List<StoredMemberYear> Members { get; set; } = [];

        public static StoredSimulation Of(ImpactSimulation s) => new()
        {
            Id = s.Id, VersionId = s.VersionId, Key = s.Key, VersionNumber = s.VersionNumber, Country = s.Country, DraftText = s.DraftText,
            From = s.From.ToStored(), To = s.To.ToStored(), AsIfInForceFrom = s.AsIfInForceFrom?.ToStored(), StartedBy = s.StartedBy, StartedAtUtc = s.StartedAtUtc, FinishedAtUtc = s.FinishedAtUtc,
            Status = s.Status, Currency = s.Currency, Total = s.Total, Done = s.Done, Affected = s.Affected, Failed = s.Failed,
            InvoiceCursor = s.InvoiceCursor, ContractCursor = s.ContractCursor,
            Counts = s.Counts.Select(c => new StoredCount { Kind = c.Kind, Status = c.Status, WouldChange = c.WouldChange, Count = c.Count }).ToList(),
            Months = s.Months.Select(m => new StoredMonth
            {
                Year = m.Year, Month = m.Month, Documents = m.Documents, Affected = m.Affected, VatBefore = m.VatBefore, VatAfter = m.VatAfter,
                ContributionBefore = m.ContributionBefore, ContributionAfter = m.ContributionAfter, MutualisedBefore = m.MutualisedBefore,
                MutualisedAfter = m.MutualisedAfter,
            }).ToList(),
            Problems = [.. s.Problems], Faulted = s.Faulted, FailureReason = s.FailureReason, CancelledBy = s.CancelledBy,
            Mode = s.Mode, KnownBefore = s.KnownBefore, Members = s.Members.Select(StoredMemberYear.From).ToList(),
        };

        // LiteDB hands dates back in local time.
        public ImpactSimulation ToSimulation() => new()
        {
            Id = Id, VersionId = VersionId, Key = Key, VersionNumber = VersionNumber, Country = Country, DraftText = DraftText, From = From.ToDate(),
            To = To.ToDate(), AsIfInForceFrom = AsIfInForceFrom?.ToDate(), StartedBy = StartedBy, StartedAtUtc = StartedAtUtc.ToUniversalTime(), FinishedAtUtc = FinishedAtUtc?.ToUniversalTime(),
            Status = Status, Currency = Currency, Total = Total, Done = Done, Affected = Affected, Failed = Failed, InvoiceCursor = InvoiceCursor,
            ContractCursor = ContractCursor,
            Counts = (Counts ?? []).Select(c => new AffectedCount(c.Kind, c.Status, c.WouldChange, c.Count)).ToList(),
            Months = (Months ?? []).Select(m => new MonthTotals(m.Year, m.Month, m.Documents, m.Affected, m.VatBefore, m.VatAfter, m.ContributionBefore,
                m.ContributionAfter, m.MutualisedBefore, m.MutualisedAfter)).ToList(),
            Problems = Problems ?? [], Faulted = Faulted, FailureReason = FailureReason, CancelledBy = CancelledBy,
            Mode = Mode, KnownBefore = KnownBefore?.ToUniversalTime(), Members = (Members ?? []).Select(m => m.ToTotals()).ToList(),
        };
    }

    private sealed class StoredCount
    {
        public string Kind { get; set; } = "";
        public string Status { get; set; } = "";
        public bool WouldChange { get; set; }
        public int Count { get; set; }
    }

    private sealed class StoredMonth
    {
        public int Year { get; set; }
        public int Month { get; set; }
        public int Documents { get; set; }
        public int Affected { get; set; }
        public decimal VatBefore { get; set; }
        public decimal VatAfter { get; set; }
        public decimal ContributionBefore { get; set; }
        public decimal ContributionAfter { get; set; }
        public decimal MutualisedBefore { get; set; }
        public decimal MutualisedAfter { get; set; }
    }

    private sealed class StoredMemberYear
    {
        public int MemberId { get; set; }
        public string Member { get; set; } = "";
        public int Year { get; set; }
        public int Documents { get; set; }
        public decimal WithholdingApplied { get; set; }
        public decimal WithholdingDue { get; set; }
        public decimal LumpSumApplied { get; set; }
        public decimal LumpSumDue { get; set; }
        public decimal VatApplied { get; set; }
        public decimal VatDue { get; set; }
        public decimal ContributionApplied { get; set; }
        public decimal ContributionDue { get; set; }

        public static StoredMemberYear From(MemberYearTotals m) => new()
        {
            MemberId = m.MemberId, Member = m.Member, Year = m.Year, Documents = m.Documents, WithholdingApplied = m.WithholdingApplied,
            WithholdingDue = m.WithholdingDue, LumpSumApplied = m.LumpSumApplied, LumpSumDue = m.LumpSumDue, VatApplied = m.VatApplied, VatDue = m.VatDue,
            ContributionApplied = m.ContributionApplied, ContributionDue = m.ContributionDue,
        };

        public MemberYearTotals ToTotals() => new(MemberId, Member, Year, Documents, WithholdingApplied, WithholdingDue, LumpSumApplied, LumpSumDue,
            VatApplied, VatDue, ContributionApplied, ContributionDue);
    }

    private sealed class StoredFigures
    {
        public decimal Net { get; set; }
        public decimal Vat { get; set; }
        public decimal Gross { get; set; }
        public decimal ContributionRate { get; set; }
        public decimal Contribution { get; set; }
        public decimal MutualisedContribution { get; set; }
        public decimal EmployerContributions { get; set; }
        public decimal GrossSalary { get; set; }
        public decimal WorkerContributions { get; set; }
        public decimal NetBeforeTax { get; set; }
        public string? Error { get; set; }
        public decimal Withholding { get; set; }
        public decimal LumpSum { get; set; }

        public static StoredFigures From(DocumentFigures f) => new()
        {
            Net = f.Net, Vat = f.Vat, Gross = f.Gross, ContributionRate = f.ContributionRate, Contribution = f.Contribution,
            MutualisedContribution = f.MutualisedContribution, EmployerContributions = f.EmployerContributions, GrossSalary = f.GrossSalary,
            WorkerContributions = f.WorkerContributions, NetBeforeTax = f.NetBeforeTax, Error = f.Error, Withholding = f.Withholding, LumpSum = f.LumpSum,
        };

        public DocumentFigures ToFigures() =>
            new(Net, Vat, Gross, ContributionRate, Contribution, MutualisedContribution, EmployerContributions, GrossSalary, WorkerContributions, NetBeforeTax, Error,
                Withholding, LumpSum);
    }

    private sealed class StoredDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public int SimulationId { get; set; }
        public string Kind { get; set; } = "";
        public int DocumentId { get; set; }
        public DateTime Date { get; set; }
        public string Status { get; set; } = "";
        public bool WouldChange { get; set; }
        public string? Number { get; set; }
        public StoredFigures Before { get; set; } = new();
        public StoredFigures After { get; set; } = new();
        public int? MemberId { get; set; }
        public string? Member { get; set; }

        public static StoredDocument From(SimulatedDocument d) => new()
        {
            SimulationId = d.SimulationId, Kind = d.Kind, DocumentId = d.DocumentId, Date = d.Date.ToStored(), Status = d.Status, WouldChange = d.WouldChange,
            Number = d.Number, Before = StoredFigures.From(d.Before), After = StoredFigures.From(d.After), MemberId = d.MemberId, Member = d.Member,
        };

        public SimulatedDocument ToDocument() =>
            new(SimulationId, Kind, DocumentId, Date.ToDate(), Status, WouldChange, Number, Before.ToFigures(), After.ToFigures(), MemberId, Member);
    }
}
