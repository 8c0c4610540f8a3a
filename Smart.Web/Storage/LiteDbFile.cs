using System.Diagnostics;
using System.Globalization;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Smart.Web.Storage;

/// <summary>Thrown when a data directory's store is already open, by another process or an instance that did not close it.</summary>
public sealed class DataDirectoryInUseException(string message) : IOException(message);

/// <summary>
/// The one owner of a data directory's LiteDB file, in LiteDB's direct mode. LiteDB does not stop a second instance from opening the
/// same file for writing (on Linux its file-share flags are advisory and both succeed), and two instances on one file corrupt it. So the owner first takes an exclusive lock on <c>smart.db.owner</c>
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
    /// LiteDB's engine with three guards: its calls run one at a time, it is closed only when no call is running, and it is opened again
    /// when LiteDB closed it itself.
    /// <para>One at a time: LiteDB 5's page cache has a race under concurrent reads (LiteDB#2817, unfixed in 5.x: <c>MemoryCache.Extend</c>
    /// recycles a page another reader has found but not yet pinned); on the full year it failed a read with <c>ENSURE</c> or "page type
    /// must be data page" twice a minute once reads got fast. So every call, and every step of a reader, holds <see cref="calls"/>. A write
    /// waiting inside LiteDB for a collection lock would then hold it against the transaction that owns that lock: so every write, and
    /// every explicit transaction from its begin to its end, first holds <see cref="writes"/> (one writer at a time, which LiteDB's
    /// collection locks made nearly so already). Order: <see cref="writes"/>, then <see cref="calls"/>, never the other way.</para>
    /// <para>Closing: LiteDB 5 does not refuse a transaction begun while it disposes; a commit that lands after its log stream closed returns
    /// true and is lost (the restart test found it). Every call enters a gate; closing shuts it, waits for the calls inside, then disposes.
    /// A transaction left open across calls is aborted by LiteDB and its commit reports it (<see cref="LiteDbTransactions"/>).</para>
    /// <para>Reopening: LiteDB closes its engine on any <see cref="IOException"/> or <c>ENSURE</c> failure (code 999) inside a call, and every
    /// later call then failed until the process restarted. The call that sees it marks the engine broken; the next call waits for those
    /// still inside the old one (bounded), disposes it and opens the file again: LiteDB replays its log, so every committed write is there.
    /// A transaction begun on the old engine fails as not saved at its next call or commit, never half applied on the new one.</para>
    /// </summary>
    private sealed class ClosingEngine : ILiteEngine
    {
        /// <summary>How long a reopening waits for the calls still inside the closed engine (a reader left open by a nested query).</summary>
        private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(10);

        private readonly Func<ILiteEngine> open;
        private readonly string path;
        private readonly ILogger logger;
        private readonly object gate = new();
        private readonly Lock calls = new();
        private readonly Lock writes = new();
        private ILiteEngine inner;
        private int generation;
        private bool broken;
        private int running;
        private bool closing;
        // The engine each thread's explicit transaction began on (LiteDB binds a transaction to its thread); the thread holds `writes` meanwhile.
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

        private void Done()
        {
            lock (gate)
            {
                if (--running == 0 && (closing || broken)) Monitor.PulseAll(gate);
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

        /// <summary>An exception filter: marks the engine broken when LiteDB closed it; the caller still sees the failure.</summary>
        private bool Closed(Exception e, int calledOn)
        {
            if (!ClosesEngine(e)) return false;
            lock (gate)
            {
                if (calledOn != generation || broken || closing) return false;
                broken = true;
            }
            logger.LogCritical(e, "LiteDB closed the store {Path} after this failure: it is opened again at the next call", path);
            return false;
        }

        /// <summary>A call inside this thread's explicit transaction begun on an engine since closed: it was lost with that engine.</summary>
        private void ThrowIfTransactionLost(int current)
        {
            if (transactions.TryGetValue(Environment.CurrentManagedThreadId, out var begunOn) && begunOn != current)
                throw new TransactionAbortedException("The store was opened again after a failure during this change: it was not saved.");
        }

        /// <summary>One engine call, alone in the engine (<see cref="calls"/>); <paramref name="alone"/> false only for those that wait for LiteDB's exclusive lock.</summary>
        private T Call<T>(Func<ILiteEngine, T> call, bool alone = true) => InEngine((engine, calledOn) =>
        {
            ThrowIfTransactionLost(calledOn);
            return call(engine);
        }, alone);

        /// <summary>A call on the engine of the moment, given which one it is: counted as running, and marking the engine broken if LiteDB closed it.</summary>
        private T InEngine<T>(Func<ILiteEngine, int, T> call, bool alone = true)
        {
            var (engine, calledOn) = Enter();
            try
            {
                if (!alone) return call(engine, calledOn);
                lock (calls) return call(engine, calledOn);
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

        /// <summary>A write: the one writer (reentrant for the thread whose explicit transaction holds it), then the call.</summary>
        private T Write<T>(Func<ILiteEngine, T> write, bool alone = true)
        {
            writes.Enter();
            try { return Call(write, alone); }
            finally { writes.Exit(); }
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

        // Checkpoint and rebuild take LiteDB's exclusive lock, which waits for open readers: holding `calls` meanwhile would stop them.
        public int Checkpoint() => Write(e => e.Checkpoint(), alone: false);
        public long Rebuild(RebuildOptions options) => Write(e => e.Rebuild(options), alone: false);

        /// <summary>Begins this thread's explicit transaction holding the one writer until <see cref="Commit"/> or <see cref="Rollback"/>.</summary>
        public bool BeginTrans()
        {
            writes.Enter();
            var begun = false;
            try
            {
                return begun = InEngine((engine, calledOn) =>
                {
                    // One begun on an engine since closed ended with it (its rollback could not say so): this one begins afresh.
                    if (transactions.TryGetValue(Environment.CurrentManagedThreadId, out var begunOn) && begunOn != calledOn && transactions.TryRemove(Environment.CurrentManagedThreadId, out _))
                        writes.Exit();
                    var began = engine.BeginTrans();
                    if (began) transactions[Environment.CurrentManagedThreadId] = calledOn;
                    return began;
                });
            }
            finally
            {
                // Begun: kept until the transaction ends. Not begun (already in one, or failed): the outer one holds it, if any.
                if (!begun) writes.Exit();
            }
        }

        /// <summary>False, as LiteDB's own commit of an aborted transaction, when the transaction began on an engine since closed.</summary>
        public bool Commit() => EndTransaction(e => e.Commit());

        public bool Rollback() => EndTransaction(e => e.Rollback());

        private bool EndTransaction(Func<ILiteEngine, bool> end)
        {
            var ending = transactions.TryRemove(Environment.CurrentManagedThreadId, out var begunOn);
            try
            {
                return InEngine((engine, calledOn) => (!ending || begunOn == calledOn) && end(engine));
            }
            finally
            {
                if (ending) writes.Exit();
            }
        }

        /// <summary>
        /// A query's reader reads pages as it is enumerated, after the call that opened it returned: it counts as a call running until it is
        /// disposed, so closing waits for a background load (the rows' warm-up) to stop reading before the engine closes the file; and each of
        /// its steps is a call of its own, alone in the engine.
        /// </summary>
        public IBsonDataReader Query(string collection, Query query)
        {
            var (engine, calledOn) = Enter();
            try
            {
                ThrowIfTransactionLost(calledOn);
                IBsonDataReader reader;
                lock (calls) reader = engine.Query(collection, query);
                return new RunningReader(reader, this, calledOn);
            }
            catch (Exception e)
            {
                Closed(e, calledOn);
                Done();
                throw;
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
                    lock (engine.calls) return reader.Read();
                }
                catch (Exception e) when (engine.Closed(e, calledOn))
                {
                    throw;
                }
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref disposed, 1) == 1) return;
                try
                {
                    lock (engine.calls) reader.Dispose();
                }
                finally { engine.Done(); }
            }
        }

        public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(e => e.Insert(collection, docs, autoId));
        public int Update(string collection, IEnumerable<BsonDocument> docs) => Write(e => e.Update(collection, docs));
        public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Write(e => e.UpdateMany(collection, transform, predicate));
        public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Write(e => e.Upsert(collection, docs, autoId));
        public int Delete(string collection, IEnumerable<BsonValue> ids) => Write(e => e.Delete(collection, ids));
        public int DeleteMany(string collection, BsonExpression predicate) => Write(e => e.DeleteMany(collection, predicate));
        public bool DropCollection(string name) => Write(e => e.DropCollection(name));
        public bool RenameCollection(string name, string newName) => Write(e => e.RenameCollection(name, newName));
        public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Write(e => e.EnsureIndex(collection, name, expression, unique));
        public bool DropIndex(string collection, string name) => Write(e => e.DropIndex(collection, name));
        public BsonValue Pragma(string name) => Call(e => e.Pragma(name));
        public bool Pragma(string name, BsonValue value) => Write(e => e.Pragma(name, value));
    }
}
