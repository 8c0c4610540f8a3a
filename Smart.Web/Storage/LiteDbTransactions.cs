using LiteDB;

namespace Smart.Web.Storage;

/// <summary>A write LiteDB did not commit because the store closed under it.</summary>
public sealed class TransactionAbortedException(string message) : InvalidOperationException(message);

public static class LiteDbTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one LiteDB transaction, committed when it returns and rolled back when it throws. LiteDB
    /// transactions belong to a thread, so a store's edits take its lock: a check and the write that depends on it cannot interleave.
    /// Inside another one on this thread, the work joins it: LiteDB has one transaction per thread, and an inner commit would commit
    /// the outer one's writes early (and its own commit then report them lost).
    /// </summary>
    public static T InTransaction<T>(this LiteDatabase database, Lock edits, Func<T> work)
    {
        if (afterCommit is not null)
        {
            if (!ReferenceEquals(database, transactionOf))
                throw new InvalidOperationException("A change on one LiteDB store inside a change on another: the process has one store file.");
            lock (edits) return work();
        }
        afterCommit = [];
        transactionOf = database;
        T result;
        try
        {
            lock (edits)
            {
                database.BeginTrans();
                try
                {
                    result = work();
                    // False when the transaction is no longer active: the store was closed meanwhile (LiteDB aborts open transactions
                    // on dispose). Nothing was written, so the caller must not be told it was.
                    if (!database.Commit()) throw new TransactionAbortedException("The store closed before this change was committed: it was not saved.");
                }
                catch
                {
                    database.Rollback();
                    throw;
                }
            }
        }
        catch
        {
            (afterCommit, transactionOf) = (null, null);
            throw;
        }
        var committed = afterCommit;
        (afterCommit, transactionOf) = (null, null);
        foreach (var action in committed) action();
        return result;
    }

    // Set while this thread is inside a transaction: what runs once it commits, and the store it is on.
    [ThreadStatic] private static List<Action>? afterCommit;
    [ThreadStatic] private static LiteDatabase? transactionOf;

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction this thread is in commits (never if it rolls back), or at once outside one: what
    /// is held in memory beside the file (a list's rows) follows only what was committed.
    /// </summary>
    public static void AfterCommit(Action action)
    {
        if (afterCommit is { } pending) pending.Add(action);
        else action();
    }
}
