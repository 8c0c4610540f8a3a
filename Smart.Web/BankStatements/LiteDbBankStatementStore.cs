using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.BankStatements;

/// <summary>Statements (collection <c>bankStatements</c>) and their lines (<c>statementLines</c>, unique index on the movement key).</summary>
public sealed class LiteDbBankStatementStore : IBankStatementStore
{
    private readonly LiteDatabase database;
    private readonly ILiteCollection<StatementDocument> statements;
    private readonly ILiteCollection<LineDocument> lines;
    private readonly Lock edits = new();

    public LiteDbBankStatementStore(LiteDatabase database)
    {
        this.database = database;
        statements = database.GetCollection<StatementDocument>("bankStatements");
        lines = database.GetCollection<LineDocument>("statementLines");
        statements.EnsureIndex(s => s.Country);
        lines.EnsureIndex(l => l.Key, unique: true);
        lines.EnsureIndex(l => l.StatementId);
        lines.EnsureIndex(l => l.Status);
    }

    public Task<IReadOnlySet<string>> KnownAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        IReadOnlySet<string> known = keys.Count == 0 ? new HashSet<string>()
            : lines.Query().Where(StoredFilter.In("Key", keys.Select(k => new BsonValue(k)))).Select(l => l.Key).ToList().ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(known);
    }

    public Task<BankStatement> AddAsync(BankStatement statement, IReadOnlyList<StatementLine> toAdd, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.InTransaction(edits, () =>
        {
            var document = StatementDocument.From(statement);
            statements.Insert(document);
            foreach (var line in toAdd)
            {
                // Checked inside the transaction: two imports of one file at once store each movement once.
                if (lines.Exists(l => l.Key == line.Key)) continue;
                lines.Insert(LineDocument.From(line with { StatementId = document.Id, Version = 1 }));
            }
            return document.ToStatement();
        }));

    public Task<IReadOnlyList<BankStatement>> LatestAsync(CountryScope scope, int take, CancellationToken cancellationToken = default)
    {
        var query = statements.Query();
        if (scope.Countries is { } countries) query = query.Where(StoredFilter.In("Country", countries.Select(c => new BsonValue(c))));
        IReadOnlyList<BankStatement> found = query.OrderByDescending(s => s.Id).Limit(take).ToList().Select(s => s.ToStatement()).ToList();
        return Task.FromResult(found);
    }

    public Task<BankStatement?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(statements.FindById(id)?.ToStatement());

    public Task<IReadOnlyList<StatementLine>> LinesAsync(int statementId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StatementLine> found = lines.Find(l => l.StatementId == statementId).OrderBy(l => l.Id).Select(l => l.ToLine()).ToList();
        return Task.FromResult(found);
    }

    public Task<StatementLine?> GetLineAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(lines.FindById(id)?.ToLine());

    public Task<IReadOnlyList<StatementLine>> WaitingAsync(CountryScope scope, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StatementLine> found = lines.Find(StoredFilter.Equal("Status", nameof(StatementLineStatus.Waiting)))
            .Where(l => scope.Includes(l.Country)).OrderBy(l => l.Date).ThenBy(l => l.Id).Select(l => l.ToLine()).ToList();
        return Task.FromResult(found);
    }

    public Task<UpdateOutcome<StatementLine>> DecideAsync(StatementLine decided, int expectedVersion, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.InTransaction(edits, () =>
        {
            if (lines.FindById(decided.Id) is not { } stored) return UpdateOutcome<StatementLine>.Missing;
            if (!stored.ToLine().CanBeDecidedAt(expectedVersion)) return UpdateOutcome<StatementLine>.Conflict(stored.ToLine());
            var updated = stored.ToLine().DecidedAs(decided);
            lines.Update(LineDocument.From(updated));
            return UpdateOutcome<StatementLine>.Saved(updated);
        }));

    // LiteDB 5 has no DateOnly: dates are stored as UTC midnight (see StoredDates).
    /// <summary>Every statement in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<BankStatement> All() => statements.Find(Query.All("_id")).Select(s => s.ToStatement());

    /// <summary>Every statement line in id order (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<StatementLine> Lines() => lines.Find(Query.All("_id")).Select(l => l.ToLine());

    private sealed class StatementDocument
    {
        public int Id { get; set; }
        public string Country { get; set; } = "";
        public string Format { get; set; } = "";
        public string FileName { get; set; } = "";
        public string Account { get; set; } = "";
        public string Currency { get; set; } = "";
        public string Number { get; set; } = "";
        public DateTime Date { get; set; }
        public decimal OpeningBalance { get; set; }
        public decimal ClosingBalance { get; set; }
        public string ImportedBy { get; set; } = "";
        public DateTime ImportedAtUtc { get; set; }
        public int AlreadyImported { get; set; }

        public static StatementDocument From(BankStatement s) => new()
        {
            Id = s.Id, Country = s.Country, Format = s.Format, FileName = s.FileName, Account = s.Account, Currency = s.Currency, Number = s.Number,
            Date = s.Date.ToStored(), OpeningBalance = s.OpeningBalance, ClosingBalance = s.ClosingBalance, ImportedBy = s.ImportedBy,
            ImportedAtUtc = s.ImportedAtUtc, AlreadyImported = s.AlreadyImported,
        };

        public BankStatement ToStatement() => new()
        {
            Id = Id, Country = Country, Format = Format, FileName = FileName, Account = Account, Currency = Currency, Number = Number, Date = Date.ToDate(),
            OpeningBalance = OpeningBalance, ClosingBalance = ClosingBalance, ImportedBy = ImportedBy, ImportedAtUtc = DateTime.SpecifyKind(ImportedAtUtc.ToUniversalTime(), DateTimeKind.Utc),
            AlreadyImported = AlreadyImported,
        };
    }

    private sealed class LineDocument
    {
        public int Id { get; set; }
        public int StatementId { get; set; }
        public string Key { get; set; } = "";
        public string Country { get; set; } = "";
        public DateTime Date { get; set; }
        public decimal Amount { get; set; }
        public string Currency { get; set; } = "";
        public string? Reference { get; set; }
        public string Communication { get; set; } = "";
        public string? CounterpartyName { get; set; }
        public string? CounterpartyAccount { get; set; }
        public StatementLineStatus Status { get; set; }
        public int? InvoiceId { get; set; }
        public string? InvoiceNumber { get; set; }
        public MatchRule? MatchedBy { get; set; }
        public WaitingReason? Waiting { get; set; }
        public string? Note { get; set; }
        public string? DecidedBy { get; set; }
        public DateTime? DecidedAtUtc { get; set; }
        public int Version { get; set; }

        public static LineDocument From(StatementLine l) => new()
        {
            Id = l.Id, StatementId = l.StatementId, Key = l.Key, Country = l.Country, Date = l.Date.ToStored(), Amount = l.Amount, Currency = l.Currency,
            Reference = l.Reference, Communication = l.Communication, CounterpartyName = l.CounterpartyName, CounterpartyAccount = l.CounterpartyAccount,
            Status = l.Status, InvoiceId = l.InvoiceId, InvoiceNumber = l.InvoiceNumber, MatchedBy = l.MatchedBy, Waiting = l.Waiting, Note = l.Note, DecidedBy = l.DecidedBy,
            DecidedAtUtc = l.DecidedAtUtc, Version = l.Version,
        };

        public StatementLine ToLine() => new()
        {
            Id = Id, StatementId = StatementId, Key = Key, Country = Country, Date = Date.ToDate(), Amount = Amount, Currency = Currency, Reference = Reference,
            Communication = Communication, CounterpartyName = CounterpartyName, CounterpartyAccount = CounterpartyAccount, Status = Status, InvoiceId = InvoiceId,
            InvoiceNumber = InvoiceNumber, MatchedBy = MatchedBy, Waiting = Waiting, Note = Note, DecidedBy = DecidedBy,
            DecidedAtUtc = DecidedAtUtc is { } at ? DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc) : null, Version = Version,
        };
    }
}
