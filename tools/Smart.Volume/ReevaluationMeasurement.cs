using System.Diagnostics;
using System.Globalization;
using LiteDB;
using Microsoft.Extensions.Configuration;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.Budget;
using Smart.Web.Jobs;
using Smart.Web.Reevaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Volume;

/// <summary>
/// <c>reevaluate [DATA_DIR] [--country CC] [--raise-contribution] [--raise-employment] [--reopen-contracts] [--batch N] [--shared]</c>: runs the app's bulk re-evaluation handler in
/// process on a data directory (the app must not be running on it) and prints documents per second. With <c>--raise-contribution</c> the
/// Belgian invoicing contribution goes from 6.5 % to 7 %, so every Belgian draft invoice changes; with <c>--raise-employment</c> the mutualised
/// contribution on Belgian employment budgets goes from 6.1 % to 6.5 %, so every Belgian draft or confirmed contract changes (the write-heavy
/// case). Most contracts of a generated year have their salary paid, which closes them (<see cref="Contract.CanBeReevaluated"/>), so a run
/// writes only the few still open; with <c>--reopen-contracts</c>, before the timing starts, every contract of the data directory has its salary
/// paid date cleared and its payment's ledger entries removed (paid contracts are confirmed; none other changes status), so with <c>--raise-employment</c> nearly every contract changes and
/// is written: the write-heavy case at full size. Changed documents are written with their trace and an audit entry: the data directory is changed. The store is opened in direct mode, as the app opens it, or in
/// shared mode with <c>--shared</c>.
/// </summary>
public static class ReevaluationMeasurement
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string rulesDirectory, string pluginsDirectory)
    {
        string? dataDirectory = null, country = null;
        bool raiseContribution = false, raiseEmployment = false, reopenContracts = false, shared = false;
        var batch = ReevaluateDocuments.DefaultBatchSize;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "reevaluate": break;
                case "--country": country = args[++i]; break;
                case "--raise-contribution": raiseContribution = true; break;
                case "--raise-employment": raiseEmployment = true; break;
                case "--reopen-contracts": reopenContracts = true; break;
                case "--shared": shared = true; break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--rules" or "--plugins" or "--scale": i++; break;
                default: dataDirectory ??= args[i]; break;
            }
        }
        dataDirectory = Path.GetFullPath(dataDirectory ?? "volume-data");
        var databaseFile = Path.Combine(dataDirectory, StorageServices.DatabaseFileName);
        if (!File.Exists(databaseFile))
        {
            Console.Error.WriteLine($"No store at {databaseFile}: generate one first (Smart.Volume generate {dataDirectory}).");
            return 1;
        }

        var book = RuleBook.Load(rulesDirectory, PluginCatalog.Load(pluginsDirectory));
        if (raiseContribution) book = Raised(book, rulesDirectory, Topics.Contribution, "\"value\": 0.065", "\"value\": 0.07");
        if (raiseEmployment) book = Raised(book, rulesDirectory, Topics.Employment, "\"value\": 0.061", "\"value\": 0.065");
        var evaluator = new DocumentEvaluator(book);

        using var database = new LiteDatabase(new ConnectionString { Filename = databaseFile, Connection = shared ? ConnectionType.Shared : ConnectionType.Direct });
        if (reopenContracts)
        {
            // Straight on the file, no audit entry: a copy made for the measurement, not a change anyone made. The payments' ledger entries go
            // too, so each reopened contract holds its reservation again, as one never paid does, and its re-evaluation moves no budget.
            var reopened = database.GetCollection("contracts").UpdateMany("{ SalaryPaidOn: null }", "$.SalaryPaidOn != null");
            var unpaid = database.GetCollection(LiteDbLedgerStore.CollectionName).DeleteMany(
                BsonExpression.Create("$.SourceKind = @0 AND $.Kind IN @1", nameof(LedgerSource.Contract),
                    new BsonArray(new BsonValue(nameof(LedgerEntryKind.SalaryPaid)), new BsonValue(nameof(LedgerEntryKind.GuaranteeAdvance)))));
            database.Checkpoint();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Reopened {reopened:N0} paid contracts (salary paid date cleared, {unpaid:N0} ledger entries of their payments removed)"));
        }
        var clock = TimeProvider.System;
        var audit = new LiteDbAuditLog(database);
        var members = new LiteDbMemberStore(database, audit, clock);
        var units = new LiteDbProductionUnitStore(database, audit, clock);
        var clients = new LiteDbClientStore(database, audit, clock);
        var invoices = new LiteDbInvoiceStore(database, audit, clock);
        var contracts = new LiteDbContractStore(database, audit, clock);
        var runs = new LiteDbReevaluationStore(database);
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Smart:Reevaluation:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture) }).Build();

        var reason = raiseContribution || raiseEmployment ? "measurement: a Belgian rate raised" : "measurement: rules unchanged";
        // The count a start request makes before the run is queued is part of what a person waits for: timed too.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var run = await StartReevaluation.RecordAsync(new StartReevaluation.Command(reason, country, "system:volume-measurement"), runs, invoices, contracts, clock);
        var counted = watch.Elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Re-evaluating {run.Total:N0} documents ({country ?? "every country"}, batches of {batch}, {(shared ? "shared" : "direct")} store) on {Environment.ProcessorCount} cores"));
        var handler = new ReevaluateDocuments.Handler(runs, invoices, contracts, new InvoiceInputs(units, clients, members, invoices, clock), evaluator, clock, settings,
            JobBudgets.From(settings));
        await handler.Handle(new ReevaluateDocuments.Command(run.Id), CancellationToken.None);
        watch.Stop();
        // Processor time beside wall time: on a shared machine the wall time also measures the other processes.
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        run = (await runs.GetAsync(run.Id))!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.Done:N0} documents in {watch.Elapsed.TotalSeconds:F1} s, counting them {counted.TotalSeconds:F1} s of it: {run.Done / watch.Elapsed.TotalSeconds:N0} documents/s ({cpu.TotalSeconds:F1} s of processor time); {run.Changed:N0} changed and written, {run.Failed:N0} failed, {run.Skipped:N0} skipped"));
        foreach (var problem in run.Problems.Take(5)) Console.WriteLine($"  {problem}");
        return run.Status == ReevaluationStatus.Done ? 0 : 1;
    }

    /// <summary>The book with one Belgian rule file's rate replaced, the file otherwise as shipped (its own tests then fail, which does not matter here).</summary>
    private static RuleBook Raised(RuleBook book, string rulesDirectory, string topic, string from, string to)
    {
        var set = book.RuleSets.Single(s => s.File.Country == "BE" && s.Topic == topic);
        var text = File.ReadAllText(Path.Combine(rulesDirectory, "be", topic + ".json"));
        if (!text.Contains(from, StringComparison.Ordinal)) throw new InvalidOperationException($"rules/be/{topic}.json no longer holds {from}.");
        var check = book.Check(new RuleSource("BE", set.Path, text.Replace(from, to, StringComparison.Ordinal)));
        return check.Book ?? throw new InvalidOperationException($"The raised {topic} rate does not load: " + string.Join("; ", check.Problems.Select(p => p.Message)));
    }
}
