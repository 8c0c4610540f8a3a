using System.Diagnostics;
using System.Globalization;
using LiteDB;
using LiteDB.Engine;

namespace Smart.Web.Storage;

/// <summary>Thrown when a data directory's store is already open, by another process or an instance that did not close it.</summary>
public sealed class DataDirectoryInUseException(string message) : IOException(message);

/// <summary>
/// The one owner of a data directory's LiteDB file. LiteDB's direct mode lets reads run side by side and serialises writes itself,
/// but it does not stop a second instance from opening the same file for writing (on Linux its file-share flags are advisory and
/// both succeed), and two instances on one file corrupt it. So the owner first takes an exclusive lock on <c>smart.db.owner</c>
/// (an advisory lock the operating system drops when the process ends, even killed): a second process, or a second app in this
/// one, waits for it a moment (a restart whose predecessor is still closing) and is then refused with a message naming the holder.
/// Disposing closes the database (LiteDB checkpoints it) before it releases the lock; writes still running finish first, and none
/// starts once closing has begun (<see cref="ClosingEngine"/>).
/// </summary>
public sealed class LiteDbFile : IDisposable
{
    public const string LockFileName = StorageServices.DatabaseFileName + ".owner";

    /// <summary>How long an opening waits for the owner before it: a previous instance of this process closing its store.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly FileStream owner;
    private readonly ClosingEngine? engine;

    // The data directories this process has open: the lock file's own text cannot be read while it is locked.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> OpenHere = new();

    public LiteDbFile(string dataDirectory) : this(dataDirectory, DefaultWait) { }

    public LiteDbFile(string dataDirectory, TimeSpan wait)
    {
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory, StorageServices.DatabaseFileName);
        owner = Own(System.IO.Path.Combine(dataDirectory, LockFileName), wait);
        try
        {
            engine = new ClosingEngine(new LiteEngine(new EngineSettings { Filename = Path }));
            Database = new LiteDatabase(engine);
            OpenHere[FullPath(dataDirectory)] = string.Create(CultureInfo.InvariantCulture, $"this process ({Environment.ProcessId}), opened {DateTime.UtcNow:O}");
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public LiteDatabase Database { get; }

    public void Dispose()
    {
        try { engine?.Dispose(); }
        finally
        {
            OpenHere.TryRemove(FullPath(System.IO.Path.GetDirectoryName(Path)!), out _);
            owner.Dispose();
        }
    }

    private static string FullPath(string directory) => System.IO.Path.GetFullPath(directory).TrimEnd(System.IO.Path.DirectorySeparatorChar);

    private static FileStream Own(string lockFile, TimeSpan wait)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows: one holder at a time.
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException) when (waited.Elapsed < wait)
            {
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new DataDirectoryInUseException(
                    $"The store in {System.IO.Path.GetDirectoryName(lockFile)} is open in another Smart Intranet ({Holder(lockFile)}): one instance per data "
                    + $"directory (a second one would corrupt it). Stop the other, or give this one its own Smart:DataDirectory. ({e.Message})");
            }
        }
    }

    private static string Holder(string lockFile) =>
        OpenHere.TryGetValue(FullPath(System.IO.Path.GetDirectoryName(lockFile)!), out var here)
            ? here + ", not yet disposed"
            : "another process";

    /// <summary>
    /// LiteDB's engine, closed only when no call is running. LiteDB 5 does not refuse a transaction begun while it disposes: a commit
    /// that lands after its log stream closed returns true and is lost (the restart test found it). Here every call enters a gate;
    /// closing shuts the gate, waits for the calls inside, then disposes. A transaction left open across calls is aborted by LiteDB
    /// and its commit reports it (<see cref="LiteDbTransactions"/>).
    /// </summary>
    private sealed class ClosingEngine(LiteEngine inner) : ILiteEngine
    {
        private readonly object gate = new();
        private int running;
        private bool closing;

        private T Call<T>(Func<LiteEngine, T> call)
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(closing, this);
                running++;
            }
            try
            {
                return call(inner);
            }
            finally
            {
                Done();
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (closing) return;
                closing = true;
                // A call is one engine operation (milliseconds); the bound only keeps a stuck one from holding the shutdown for ever.
                var deadline = Stopwatch.StartNew();
                while (running > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30)) Monitor.Wait(gate, TimeSpan.FromMilliseconds(100));
            }
            inner.Dispose();
        }

        public int Checkpoint() => Call(e => e.Checkpoint());
        public long Rebuild(RebuildOptions options) => Call(e => e.Rebuild(options));
        public bool BeginTrans() => Call(e => e.BeginTrans());
        public bool Commit() => Call(e => e.Commit());
        public bool Rollback() => Call(e => e.Rollback());
        /// <summary>
        /// A query's reader reads pages as it is enumerated, after the call that opened it returned: it counts as a call running until it is
        /// disposed, so closing waits for a background load (the rows' warm-up) to stop reading before the engine closes the file.
        /// </summary>
        public IBsonDataReader Query(string collection, Query query)
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(closing, this);
                running++;
            }
            try
            {
                return new RunningReader(inner.Query(collection, query), this);
            }
            catch
            {
                Done();
                throw;
            }
        }

        private void Done()
        {
            lock (gate)
            {
                if (--running == 0 && closing) Monitor.PulseAll(gate);
            }
        }

        private sealed class RunningReader(IBsonDataReader reader, ClosingEngine engine) : IBsonDataReader
        {
            private int disposed;

            public BsonValue this[string field] => reader[field];
            public string Collection => reader.Collection;
            public BsonValue Current => reader.Current;
            public bool HasValues => reader.HasValues;
            public bool Read() => reader.Read();

            public void Dispose()
            {
                if (Interlocked.Exchange(ref disposed, 1) == 1) return;
                try { reader.Dispose(); }
                finally { engine.Done(); }
            }
        }
        public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Call(e => e.Insert(collection, docs, autoId));
        public int Update(string collection, IEnumerable<BsonDocument> docs) => Call(e => e.Update(collection, docs));
        public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Call(e => e.UpdateMany(collection, transform, predicate));
        public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Call(e => e.Upsert(collection, docs, autoId));
        public int Delete(string collection, IEnumerable<BsonValue> ids) => Call(e => e.Delete(collection, ids));
        public int DeleteMany(string collection, BsonExpression predicate) => Call(e => e.DeleteMany(collection, predicate));
        public bool DropCollection(string name) => Call(e => e.DropCollection(name));
        public bool RenameCollection(string name, string newName) => Call(e => e.RenameCollection(name, newName));
        public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Call(e => e.EnsureIndex(collection, name, expression, unique));
        public bool DropIndex(string collection, string name) => Call(e => e.DropIndex(collection, name));
        public BsonValue Pragma(string name) => Call(e => e.Pragma(name));
        public bool Pragma(string name, BsonValue value) => Call(e => e.Pragma(name, value));
    }
}
