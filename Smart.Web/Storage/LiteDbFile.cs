using System.Diagnostics;
using System.Globalization;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging.Abstractions;

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

    /// <param name="wait">How long to wait for the owner before this one (<see cref="DefaultWait"/> when null).</param>
    /// <param name="logger">Where a reopening after LiteDB closed itself is told (<see cref="ClosingEngine"/>).</param>
    /// <param name="openEngine">How the engine is opened on the file's path: LiteDB's own in direct mode, unless a test gives another.</param>
    public LiteDbFile(string dataDirectory, TimeSpan? wait = null, ILogger? logger = null, Func<string, ILiteEngine>? openEngine = null)
    {
        Directory.CreateDirectory(dataDirectory);
        Path = System.IO.Path.Combine(dataDirectory, StorageServices.DatabaseFileName);
        owner = Own(System.IO.Path.Combine(dataDirectory, LockFileName), wait ?? DefaultWait);
        try
        {
            var open = openEngine ?? (path => new LiteEngine(new EngineSettings { Filename = path }));
            engine = new ClosingEngine(() => open(Path), Path, logger ?? NullLogger.Instance);
            Database = new LiteDatabase(engine);
            OpenHere[FullPath(dataDirectory)] = string.Create(CultureInfo.InvariantCulture, $"this process ({Environment.ProcessId}), opened {DateTime.UtcNow:O}");
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>How many times LiteDB closed the engine itself and it was opened again (0 on a healthy store).</summary>
    public int Reopened => engine?.Reopened ?? 0;

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
    /// LiteDB's engine, closed only when no call is running, and opened again when LiteDB closed it itself.
    /// <para>Closing: LiteDB 5 does not refuse a transaction begun while it disposes; a commit that lands after its log stream closed returns
    /// true and is lost (the restart test found it). Here every call enters a gate; closing shuts the gate, waits for the calls inside,
    /// then disposes. A transaction left open across calls is aborted by LiteDB and its commit reports it (<see cref="LiteDbTransactions"/>).</para>
    /// <para>Reopening: LiteDB closes its engine on any <see cref="IOException"/> or <c>ENSURE</c> failure (code 999) inside a call, and every
    /// later call then fails until the process restarts. Its page cache has a known race under concurrent reads (LiteDB#2817, unfixed in 5.x)
    /// that ends that way, with the file intact: a read fails, then every page answers 500. So the call that sees LiteDB close marks the engine
    /// broken; the next call waits for those still inside the old one (bounded), disposes it and opens the file again: LiteDB replays its
    /// log, so every committed write is there. A transaction begun on the old engine fails as not saved at its next call or commit, never half
    /// applied on the new one.</para>
    /// </summary>
    private sealed class ClosingEngine : ILiteEngine
    {
        /// <summary>How long a reopening waits for the calls still inside the closed engine (a reader left open by a nested query).</summary>
        private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(10);

        private readonly Func<ILiteEngine> open;
        private readonly string path;
        private readonly ILogger logger;
        private readonly object gate = new();
        private ILiteEngine inner;
        private int generation;
        private bool broken;
        private int running;
        private bool closing;
        // The engine each thread's explicit transaction began on (LiteDB binds a transaction to its thread).
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> transactions = new();

        public ClosingEngine(Func<ILiteEngine> open, string path, ILogger logger)
        {
            this.open = open;
            this.path = path;
            this.logger = logger;
            inner = open();
        }

        public int Reopened { get; private set; }

        private (ILiteEngine Engine, int Generation) Enter()
        {
            lock (gate)
            {
                var waited = Stopwatch.StartNew();
                while (true)
                {
                    ObjectDisposedException.ThrowIf(closing, this);
                    if (!broken) break;
                    if (running == 0 || waited.Elapsed > DrainWait)
                    {
                        Reopen();
                        break;
                    }
                    Monitor.Wait(gate, TimeSpan.FromMilliseconds(50));
                }
                running++;
                return (inner, generation);
            }
        }

        /// <summary>Under the gate: the closed engine disposed (LiteDB skips its checkpoint), the file opened again; on failure the next call tries again.</summary>
        private void Reopen()
        {
            var timer = Stopwatch.StartNew();
            try { inner.Dispose(); }
            catch (Exception e) { logger.LogWarning(e, "Disposing the LiteDB engine that closed itself failed"); }
            inner = open();
            generation++;
            broken = false;
            Reopened++;
            logger.LogWarning("The store {Path} was opened again in {Milliseconds} ms after LiteDB closed it", path, timer.ElapsedMilliseconds);
        }

        /// <summary>
        /// Exactly the failures after which LiteDB has closed the engine (its <c>EngineState.Handle</c>), and what a closed engine throws
        /// afterwards: a disposed engine's error or its disposed services.
        /// </summary>
        private static bool ClosesEngine(Exception e) =>
            e is IOException or ObjectDisposedException or LiteException { ErrorCode: LiteException.INVALID_DATAFILE_STATE or LiteException.ENGINE_DISPOSED };

        private bool Closed(Exception e, int calledOn)
        {
            if (!ClosesEngine(e)) return false;
            lock (gate)
            {
                if (calledOn != generation || broken || closing) return false;
                broken = true;
            }
            logger.LogCritical(e, "LiteDB closed the store {Path} after this failure: it is opened again at the next call", path);
            return false; // a filter: the caller still sees the failure
        }

        /// <summary>A call inside this thread's explicit transaction begun on an engine since closed: it was lost with that engine.</summary>
        private void ThrowIfTransactionLost(int current)
        {
            if (transactions.TryGetValue(Environment.CurrentManagedThreadId, out var begunOn) && begunOn != current)
                throw new TransactionAbortedException("The store was opened again after a failure during this change: it was not saved.");
        }

        private T Call<T>(Func<ILiteEngine, T> call)
        {
            var (engine, calledOn) = Enter();
            try
            {
                ThrowIfTransactionLost(calledOn);
                return call(engine);
            }
            catch (Exception e) when (Closed(e, calledOn))
            {
                throw;
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

        public bool BeginTrans()
        {
            var (engine, calledOn) = Enter();
            try
            {
                // One begun on an engine since closed ended with it (its rollback could not say so): this one begins afresh.
                if (transactions.TryGetValue(Environment.CurrentManagedThreadId, out var begunOn) && begunOn != calledOn)
                    transactions.TryRemove(Environment.CurrentManagedThreadId, out _);
                var begun = engine.BeginTrans();
                if (begun) transactions[Environment.CurrentManagedThreadId] = calledOn;
                return begun;
            }
            catch (Exception e) when (Closed(e, calledOn))
            {
                throw;
            }
            finally
            {
                Done();
            }
        }

        /// <summary>False, as LiteDB's own commit of an aborted transaction, when the transaction began on an engine since closed.</summary>
        public bool Commit() => EndTransaction(e => e.Commit());

        public bool Rollback() => EndTransaction(e => e.Rollback());

        private bool EndTransaction(Func<ILiteEngine, bool> end)
        {
            var (engine, calledOn) = Enter();
            try
            {
                if (transactions.TryRemove(Environment.CurrentManagedThreadId, out var begunOn) && begunOn != calledOn) return false;
                return end(engine);
            }
            catch (Exception e) when (Closed(e, calledOn))
            {
                throw;
            }
            finally
            {
                Done();
            }
        }

        /// <summary>
        /// A query's reader reads pages as it is enumerated, after the call that opened it returned: it counts as a call running until it is
        /// disposed, so closing waits for a background load (the rows' warm-up) to stop reading before the engine closes the file.
        /// </summary>
        public IBsonDataReader Query(string collection, Query query)
        {
            var (engine, calledOn) = Enter();
            try
            {
                ThrowIfTransactionLost(calledOn);
                return new RunningReader(engine.Query(collection, query), this, calledOn);
            }
            catch (Exception e)
            {
                Closed(e, calledOn);
                Done();
                throw;
            }
        }

        private void Done()
        {
            lock (gate)
            {
                if (--running == 0 && (closing || broken)) Monitor.PulseAll(gate);
            }
        }

        private sealed class RunningReader(IBsonDataReader reader, ClosingEngine engine, int calledOn) : IBsonDataReader
        {
            private int disposed;

            public BsonValue this[string field] => reader[field];
            public string Collection => reader.Collection;
            public BsonValue Current => reader.Current;
            public bool HasValues => reader.HasValues;

            public bool Read()
            {
                try
                {
                    return reader.Read();
                }
                catch (Exception e) when (engine.Closed(e, calledOn))
                {
                    throw;
                }
            }

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
