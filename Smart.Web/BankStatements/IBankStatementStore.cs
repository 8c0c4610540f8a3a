using Smart.Web.Storage;

namespace Smart.Web.BankStatements;

/// <summary>
/// Imported statements and their lines. A line's key is unique: a movement is stored once however many files carry it. Only a waiting
/// line changes afterwards, once, when a person matches or dismisses it.
/// </summary>
public interface IBankStatementStore
{
    /// <summary>Which of these movement keys are stored already.</summary>
    Task<IReadOnlySet<string>> KnownAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores a statement and its new lines in one transaction; a line whose key is stored meanwhile is left out.</summary>
    Task<BankStatement> AddAsync(BankStatement statement, IReadOnlyList<StatementLine> lines, CancellationToken cancellationToken = default);

    /// <summary>The latest statements of the scope's countries, newest first.</summary>
    Task<IReadOnlyList<BankStatement>> LatestAsync(CountryScope scope, int take, CancellationToken cancellationToken = default);

    Task<BankStatement?> GetAsync(int id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StatementLine>> LinesAsync(int statementId, CancellationToken cancellationToken = default);

    Task<StatementLine?> GetLineAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The waiting lines of the scope's countries, oldest first.</summary>
    Task<IReadOnlyList<StatementLine>> WaitingAsync(CountryScope scope, CancellationToken cancellationToken = default);

    /// <summary>A person's decision on a waiting line, if it still waits at <paramref name="expectedVersion"/>.</summary>
    Task<UpdateOutcome<StatementLine>> DecideAsync(StatementLine decided, int expectedVersion, CancellationToken cancellationToken = default);
}
