using LiteDB;

namespace Smart.Web.Storage;

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
                database.Commit();
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
