using LiteDB;

namespace Smart.Web.Storage;

/// <summary>A write LiteDB did not commit because the store closed under it.</summary>
public sealed class TransactionAbortedException(string message) : InvalidOperationException(message);

public static class LiteDbTransactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one LiteDB transaction, committed when it returns and rolled back when it throws. LiteDB
    /// transactions belong to a thread, so a store's edits take its lock: a check and the write that depends on it cannot interleave.
    /// </summary>
    public static T InTransaction<T>(this LiteDatabase database, Lock edits, Func<T> work)
    {
        lock (edits)
        {
            database.BeginTrans();
            try
            {
                var result = work();
                // False when the transaction is no longer active: the store was closed meanwhile (LiteDB aborts open transactions
                // on dispose). Nothing was written, so the caller must not be told it was.
                if (!database.Commit()) throw new TransactionAbortedException("The store closed before this change was committed: it was not saved.");
                return result;
            }
            catch
            {
                database.Rollback();
                throw;
            }
        }
    }
}
