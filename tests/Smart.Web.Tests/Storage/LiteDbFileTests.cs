using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Xunit.Abstractions;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Tests.Storage;

/// <summary>One owner per data directory: a second instance is refused, and a store closed and reopened keeps every write it acknowledged.</summary>
[Trait("Store", "Chosen")]
public class LiteDbFileTests(ITestOutputHelper output)
{
    [Fact]
    public void A_second_owner_in_this_process_is_refused_naming_the_directory_until_the_first_closes()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            using (var first = new LiteDbFile(data))
            {
                var refused = Assert.Throws<DataDirectoryInUseException>(() => new LiteDbFile(data, TimeSpan.FromMilliseconds(200)));
                Assert.Contains(data, refused.Message);
                Assert.Contains($"this process ({Environment.ProcessId})", refused.Message);
            }
            using var second = new LiteDbFile(data, TimeSpan.Zero);
            Assert.Equal(0, second.Database.GetCollection("anything").Count());
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    [Fact]
    public async Task Another_process_sees_the_lock_while_the_store_is_open_and_not_after()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            var lockFile = Path.Combine(data, LiteDbFile.LockFileName);
            using (new LiteDbFile(data))
                Assert.NotEqual(0, await FlockAsync(lockFile)); // util-linux flock -n: 1 when another process holds the lock
            Assert.Equal(0, await FlockAsync(lockFile));
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// The corruption direct mode once caused came from two instances on one file, and LiteDB loses a commit that lands while it
    /// closes. Fifty times: the store is opened through its owner, two writers add clients, and it is closed while they write.
    /// Every client whose write returned must be there afterwards.
    /// </summary>
    [Fact]
    public async Task Fifty_restarts_of_the_store_under_writes_keep_every_acknowledged_write()
    {
        var data = SmartWebFactory.NewDataDirectory();
        var acknowledged = new ConcurrentDictionary<int, string>();
        var timer = Stopwatch.StartNew();
        try
        {
            for (var restart = 0; restart < 50; restart++)
            {
                var file = new LiteDbFile(data);
                var clients = new LiteDbClientStore(file.Database, new LiteDbAuditLog(file.Database), TimeProvider.System);
                await AssertAllThereAsync(clients, acknowledged);
                await WriteWhileClosingAsync(clients, file.Dispose, restart, acknowledged);
            }
            using var reopened = new LiteDbFile(data);
            await AssertAllThereAsync(new LiteDbClientStore(reopened.Database, new LiteDbAuditLog(reopened.Database), TimeProvider.System), acknowledged);
            output.WriteLine($"50 restarts, {acknowledged.Count} acknowledged writes, all there; {timer.Elapsed.TotalSeconds:F1} s");
            Assert.True(acknowledged.Count >= 100, $"only {acknowledged.Count} writes were acknowledged: too few to prove anything");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>The same through the whole app, as a restart does it: the host disposed while its store is being written.</summary>
    [Fact]
    public async Task The_app_disposed_while_writing_and_started_again_keeps_every_acknowledged_write()
    {
        var data = SmartWebFactory.NewDataDirectory();
        var acknowledged = new ConcurrentDictionary<int, string>();
        try
        {
            for (var restart = 0; restart < 5; restart++)
            {
                var app = SmartWebFactory.OnDataDirectory(data);
                var clients = app.Services.GetRequiredService<IClientStore>();
                await AssertAllThereAsync(clients, acknowledged);
                await WriteWhileClosingAsync(clients, app.Dispose, restart, acknowledged);
            }
            using var reopened = SmartWebFactory.OnDataDirectory(data);
            await AssertAllThereAsync(reopened.Services.GetRequiredService<IClientStore>(), acknowledged);
            Assert.True(acknowledged.Count >= 10, $"only {acknowledged.Count} writes were acknowledged");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// The rows' warm-ups read the invoices and the directory on background threads after start-up. Disposed at once, five times, the app
    /// stops them (they would otherwise read on into the next app's start): each start succeeds and finds every invoice.
    /// </summary>
    [Fact]
    public async Task The_app_disposed_while_its_rows_warm_up_starts_again_on_the_same_directory_with_every_invoice()
    {
        const int count = 30_000;
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            using (var file = new LiteDbFile(data))
            {
                var clients = new LiteDbClientStore(file.Database, new LiteDbAuditLog(file.Database), TimeProvider.System);
                clients.ImportMany(Enumerable.Range(0, count / 10).Select(n => new Client { Country = "BE", Kind = ClientKind.Business, Name = $"Client {n}" }).ToList());
                clients.Dispose();
                var invoices = new LiteDbInvoiceStore(file.Database, new LiteDbAuditLog(file.Database), TimeProvider.System);
                invoices.ImportMany(Enumerable.Range(0, count).Select(n => new Invoice
                {
                    Country = "BE", Issuer = "smartcoop", ProductionUnitId = 1 + n % 50, ClientId = 1 + n % 100, Date = new DateOnly(2026, 1, 1).AddDays(n % 300),
                    Lines = [new InvoiceLineItem($"Invoice {n} work", "service", 1, 100 + n % 7), new InvoiceLineItem("Travel", "disbursement", 2, 15)],
                }).ToList());
                invoices.Dispose();
            }
            var timer = Stopwatch.StartNew();
            for (var restart = 0; restart < 5; restart++)
            {
                var app = SmartWebFactory.OnDataDirectory(data);
                _ = app.Services.GetRequiredService<IInvoiceStore>(); // the stores start their warm-ups
                _ = app.Services.GetRequiredService<IClientStore>();
                var disposing = Stopwatch.StartNew();
                app.Dispose();
                output.WriteLine($"restart {restart}: disposed in {disposing.ElapsedMilliseconds} ms");
            }
            using var reopened = SmartWebFactory.OnDataDirectory(data);
            var all = reopened.Services.GetRequiredService<IInvoiceStore>();
            Assert.Equal(count, (await all.SearchAsync(new InvoiceQuery(CountryScope.All) { Take = 0 })).Total);
            Assert.Equal("Invoice 29999 work", (await all.GetAsync(count))?.Lines[0].Description);
            output.WriteLine($"5 starts and disposals on {count} invoices: {timer.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// LiteDB closes its engine when a call fails inside it (an <see cref="IOException"/> here; the <c>ENSURE</c> failures of its page-cache
    /// race, LiteDB#2817, take the same path) and then fails every call until the process restarts. The owner opens the file again at the
    /// next call: reads and writes go on, every committed write is there, and a transaction begun before the failure is reported not saved
    /// with none of it applied. The disk here is the real file behind a stream that fails the reads it is told to.
    /// </summary>
    [Fact]
    public void A_store_LiteDB_closed_after_a_failed_read_is_opened_again_at_the_next_call_and_keeps_every_committed_write()
    {
        const int count = 3_000;
        var data = SmartWebFactory.NewDataDirectory();
        var disk = new FailingDisk();
        try
        {
            using (var plain = new LiteDbFile(data))
                plain.Database.GetCollection("notes").InsertBulk(Enumerable.Range(1, count).Select(Note));

            using (var file = new LiteDbFile(data, openEngine: disk.Open))
            {
                var notes = file.Database.GetCollection("notes");
                disk.FailNextRead();
                Assert.Throws<IOException>(() => notes.FindById(count - 500));
                Assert.Equal(0, file.Reopened);

                // The next call finds the engine closed by LiteDB and opens the file again: the same read, then a write, succeed.
                Assert.Equal(Note(count - 500)["Text"], notes.FindById(count - 500)["Text"]);
                Assert.Equal(1, file.Reopened);
                notes.Insert(Note(count + 1));

                // A transaction open on another thread when the engine failed: its next call says it was not saved.
                var edits = new Lock();
                var lost = Assert.Throws<TransactionAbortedException>(() => file.Database.InTransaction(edits, () =>
                {
                    notes.Insert(Note(count + 2));
                    disk.FailNextRead();
                    var failed = Task.Run(() => Assert.Throws<IOException>(() => notes.FindById(count / 3)));
                    failed.GetAwaiter().GetResult();
                    notes.Insert(Note(count + 3));
                    return 0;
                }));
                Assert.Contains("not saved", lost.Message);
                Assert.Equal(2, file.Reopened);
                Assert.Null(notes.FindById(count + 2));
                Assert.Equal(count + 1, notes.Count());
            }

            using var reopened = new LiteDbFile(data);
            var all = reopened.Database.GetCollection("notes");
            Assert.Equal(count + 1, all.Count());
            Assert.Equal(Note(count + 1)["Text"], all.FindById(count + 1)["Text"]);
            Assert.Null(all.FindById(count + 2));
            Assert.Null(all.FindById(count + 3));
        }
        finally
        {
            disk.Dispose();
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// LiteDB 5's page cache breaks when two threads read at once (LiteDB#2817), so the owner lets one call into the engine at a time,
    /// each step of a reader included: four readers and a writer side by side never have two calls inside LiteDB. And a write waiting
    /// for a collection that an open transaction is writing waits outside the engine: both finish, the transaction first, and neither
    /// waits for LiteDB's one-minute lock timeout.
    /// </summary>
    [Fact]
    public async Task Engine_calls_run_one_at_a_time_and_a_write_waits_for_an_open_transaction_without_holding_the_engine()
    {
        var data = SmartWebFactory.NewDataDirectory();
        CountingEngine? counting = null;
        try
        {
            using var file = new LiteDbFile(data, openEngine: path => counting = new CountingEngine(new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { Filename = path })));
            var notes = file.Database.GetCollection("notes");
            notes.InsertBulk(Enumerable.Range(1, 2_000).Select(Note));

            var timer = Stopwatch.StartNew();
            var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
            {
                var read = 0;
                for (var pass = 0; pass < 3; pass++) read += notes.Find(LiteDB.Query.All()).Count(d => d["Text"].AsString.Length > 0);
                return read;
            })).ToList();
            var written = new List<int>();
            var edits = new Lock();
            var inTransaction = new ManualResetEventSlim();
            var transaction = Task.Run(() => file.Database.InTransaction(edits, () =>
            {
                notes.Insert(Note(5_001));
                inTransaction.Set();
                Thread.Sleep(300); // the other write asks now, and must wait outside the engine
                notes.Insert(Note(5_002));
                lock (written) written.Add(1);
                return 0;
            }));
            inTransaction.Wait();
            var other = Task.Run(() =>
            {
                notes.Insert(Note(5_003));
                lock (written) written.Add(2);
            });
            await Task.WhenAll(transaction, other);

            Assert.All(await Task.WhenAll(readers), read => Assert.Equal(3 * 2_000, read));
            Assert.Equal([1, 2], written);
            Assert.Equal(2_003, notes.Count());
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(30), $"the writes took {timer.Elapsed}: one waited for LiteDB's lock timeout");
            Assert.True(counting!.Calls > 6 * 2_000, $"only {counting.Calls} calls counted");
            Assert.Equal(1, counting.MostAtOnce);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>
    /// LiteDB has one transaction per thread: a nested begin returns false and the inner commit commits the outer transaction's writes.
    /// A change made inside another joins it instead: all of it is kept when the outer one commits, none of it when the outer one fails,
    /// and what waits for the commit runs once, after it.
    /// </summary>
    [Fact]
    public void A_change_inside_another_joins_its_transaction_and_is_kept_or_undone_with_it()
    {
        var data = SmartWebFactory.NewDataDirectory();
        try
        {
            using var file = new LiteDbFile(data);
            var notes = file.Database.GetCollection("notes");
            var edits = new Lock();
            var afterCommit = new List<string>();

            var kept = file.Database.InTransaction(edits, () =>
            {
                notes.Insert(Note(1));
                file.Database.InTransaction(edits, () =>
                {
                    notes.Insert(Note(2));
                    LiteDbTransactions.AfterCommit(() => afterCommit.Add("inner"));
                    return 0;
                });
                Assert.Empty(afterCommit);
                notes.Insert(Note(3));
                return notes.Count();
            });
            Assert.Equal(3, kept);
            Assert.Equal(["inner"], afterCommit);

            Assert.Throws<InvalidOperationException>(() => file.Database.InTransaction<int>(edits, () =>
            {
                notes.Insert(Note(4));
                file.Database.InTransaction(edits, () =>
                {
                    notes.Insert(Note(5));
                    LiteDbTransactions.AfterCommit(() => afterCommit.Add("undone"));
                    return 0;
                });
                throw new InvalidOperationException("the outer change fails after the inner one returned");
            }));
            Assert.Equal([1, 2, 3], notes.FindAll().Select(n => n["_id"].AsInt32).Order());
            Assert.Equal(["inner"], afterCommit);
        }
        finally
        {
            SmartWebFactory.DeleteQuietly(data);
        }
    }

    /// <summary>LiteDB's engine, counting its calls and reader steps and the most of them inside it at once.</summary>
    private sealed class CountingEngine(LiteDB.Engine.ILiteEngine inner) : LiteDB.Engine.ILiteEngine
    {
        private int inside;
        private int calls;
        private int mostAtOnce;

        public int Calls => calls;
        public int MostAtOnce => mostAtOnce;

        private T Count<T>(Func<T> call)
        {
            var now = Interlocked.Increment(ref inside);
            Interlocked.Increment(ref calls);
            for (var most = mostAtOnce; now > most; most = mostAtOnce) Interlocked.CompareExchange(ref mostAtOnce, now, most);
            try { return call(); }
            finally { Interlocked.Decrement(ref inside); }
        }

        public void Dispose() => inner.Dispose();
        public int Checkpoint() => Count(inner.Checkpoint);
        public long Rebuild(LiteDB.Engine.RebuildOptions options) => Count(() => inner.Rebuild(options));
        public bool BeginTrans() => Count(inner.BeginTrans);
        public bool Commit() => Count(inner.Commit);
        public bool Rollback() => Count(inner.Rollback);
        public LiteDB.IBsonDataReader Query(string collection, LiteDB.Query query) => Count(() => new CountingReader(inner.Query(collection, query), this));
        public int Insert(string collection, IEnumerable<LiteDB.BsonDocument> docs, LiteDB.BsonAutoId autoId) => Count(() => inner.Insert(collection, docs, autoId));
        public int Update(string collection, IEnumerable<LiteDB.BsonDocument> docs) => Count(() => inner.Update(collection, docs));
        public int UpdateMany(string collection, LiteDB.BsonExpression transform, LiteDB.BsonExpression predicate) => Count(() => inner.UpdateMany(collection, transform, predicate));
        public int Upsert(string collection, IEnumerable<LiteDB.BsonDocument> docs, LiteDB.BsonAutoId autoId) => Count(() => inner.Upsert(collection, docs, autoId));
        public int Delete(string collection, IEnumerable<LiteDB.BsonValue> ids) => Count(() => inner.Delete(collection, ids));
        public int DeleteMany(string collection, LiteDB.BsonExpression predicate) => Count(() => inner.DeleteMany(collection, predicate));
        public bool DropCollection(string name) => Count(() => inner.DropCollection(name));
        public bool RenameCollection(string name, string newName) => Count(() => inner.RenameCollection(name, newName));
        public bool EnsureIndex(string collection, string name, LiteDB.BsonExpression expression, bool unique) => Count(() => inner.EnsureIndex(collection, name, expression, unique));
        public bool DropIndex(string collection, string name) => Count(() => inner.DropIndex(collection, name));
        public LiteDB.BsonValue Pragma(string name) => Count(() => inner.Pragma(name));
        public bool Pragma(string name, LiteDB.BsonValue value) => Count(() => inner.Pragma(name, value));

        private sealed class CountingReader(LiteDB.IBsonDataReader reader, CountingEngine engine) : LiteDB.IBsonDataReader
        {
            public LiteDB.BsonValue this[string field] => reader[field];
            public string Collection => reader.Collection;
            public LiteDB.BsonValue Current => reader.Current;
            public bool HasValues => reader.HasValues;
            public bool Read() => engine.Count(reader.Read);
            public void Dispose() => engine.Count(() => { reader.Dispose(); return 0; });
        }
    }

    private static LiteDB.BsonDocument Note(int id) => new() { ["_id"] = id, ["Text"] = $"Note {id} " + new string('x', 1_000) };

    /// <summary>LiteDB's data and log files, each engine on its own streams over them; the next read of any is failed when told.</summary>
    private sealed class FailingDisk : IDisposable
    {
        private readonly List<Stream> opened = [];
        private int failNext;

        public void FailNextRead() => Volatile.Write(ref failNext, 1);

        public LiteDB.Engine.ILiteEngine Open(string path)
        {
            lock (opened)
            {
                var dataFile = new FailingStream(path, this);
                var logFile = new FailingStream(Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path)), this);
                opened.AddRange([dataFile, logFile]);
                return new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { DataStream = dataFile, LogStream = logFile });
            }
        }

        private bool Fails() => Interlocked.Exchange(ref failNext, 0) == 1;

        public void Dispose()
        {
            lock (opened) foreach (var stream in opened) stream.Dispose();
        }

        private sealed class FailingStream(string path, FailingDisk disk) : FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite)
        {
            public override int Read(byte[] buffer, int offset, int count) =>
                disk.Fails() ? throw new IOException("The disk failed this read (test).") : base.Read(buffer, offset, count);

            public override int Read(Span<byte> buffer) =>
                disk.Fails() ? throw new IOException("The disk failed this read (test).") : base.Read(buffer);
        }
    }

    /// <summary>Two writers add clients until <paramref name="close"/>, called while they write, makes them fail; what returned is recorded.</summary>
    private static async Task WriteWhileClosingAsync(IClientStore clients, Action close, int restart, ConcurrentDictionary<int, string> acknowledged)
    {
        using var closing = new CancellationTokenSource();
        var thisRestart = 0;
        var writers = Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                var name = $"Restart {restart} writer {writer} client {n}";
                try
                {
                    var added = await clients.AddAsync(new Client { Country = "BE", Kind = ClientKind.Business, Name = name }, new AuditActor("restart-test"));
                    acknowledged[added.Id] = name;
                    Interlocked.Increment(ref thisRestart);
                }
                catch (Exception) when (closing.IsCancellationRequested)
                {
                    return; // the store closed under it: this write was not acknowledged
                }
            }
        })).ToList();
        // Close only once writes flow (a slow machine's first writes, after a fresh start, can take longer than any fixed delay),
        // then at a varying moment, so the close lands in the middle of some write.
        var flowing = Stopwatch.StartNew();
        while (Volatile.Read(ref thisRestart) < 4 && flowing.Elapsed < TimeSpan.FromSeconds(30) && writers.All(w => !w.IsCompleted))
        {
            await Task.Delay(1);
        }
        await Task.Delay(restart % 5 * 5);
        closing.Cancel();
        close();
        await Task.WhenAll(writers);
    }

    private static async Task AssertAllThereAsync(IClientStore clients, IReadOnlyDictionary<int, string> acknowledged)
    {
        foreach (var (id, name) in acknowledged)
            Assert.Equal(name, (await clients.GetAsync(id))?.Name);
    }

    private static async Task<int> FlockAsync(string file)
    {
        var start = new ProcessStartInfo("flock") { RedirectStandardError = true };
        foreach (var argument in new[] { "--nonblock", file, "true" }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
