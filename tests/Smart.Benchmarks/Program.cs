using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Smart.Benchmarks;
using Smart.Rules.EInvoicing;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

// Measures the rules engine on a fixed Belgian workload and compares it, in the same process, with
// (a) the Belgian rules written by hand in C# and (b) the naive use of RulesEngine (a new engine per document).
// Usage: dotnet run -c Release --project tests/Smart.Benchmarks [-- --seconds N] [--rounds N] [--invoices-only]

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var seconds = Option("--seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 2.0;
var rounds = Option("--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 6;
var invoicesOnly = args.Contains("--invoices-only");
var root = FindRoot();
var plugins = PluginCatalog.Load(Path.Combine(root, "artifacts", "plugins"));
var book = RuleBook.Load(Path.Combine(root, "rules"), plugins);
foreach (var problem in book.Problems) Console.WriteLine($"warning: {problem}");
var evaluator = new DocumentEvaluator(book);

var invoices = Workload.Invoices(2_000);
var contracts = Workload.Contracts(2_000);
Console.WriteLine($"Smart rules engine benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds:0.#} s per measurement");
Console.WriteLine($"Workload: {invoices.Length} Belgian invoices ({invoices.Average(i => i.Lines.Count):0.00} lines on average), {contracts.Length} contracts\n");

// Same answers first: a fast engine that disagrees with the baselines proves nothing. The hand-written rules give what the app
// stores for every invoice and the engine computes here: the amounts and the late-payment terms.
var agree = invoices.Count(i =>
{
    var e = evaluator.EvaluateInvoice(i).Value!;
    var bulk = evaluator.EvaluateInvoice(i, explain: false).Value!;
    var amountsOnly = evaluator.EvaluateInvoice(i, explain: false, latePayment: false).Value!;
    return BelgianRulesByHand.Evaluate(i).Agrees(e) && bulk.Same(e) && (amountsOnly.Totals, amountsOnly.Contribution) == (e.Totals, e.Contribution);
});
var naiveAgree = invoices.Take(100).Count(i =>
{
    var e = evaluator.EvaluateInvoice(i).Value!;
    return (e.Totals.Net, e.Totals.Vat, e.Contribution.Amount) == NaiveRulesEngine.Evaluate(book, i);
});
Console.WriteLine($"Agreement on net, VAT, contribution and late-payment terms: hand-written {agree}/{invoices.Length}; " +
    $"on net, VAT and contribution: naive RulesEngine {naiveAgree}/100\n");

// Like for like: the engine computes what the app asks for (late-payment terms included), as the hand-written rules do. The
// third line leaves the terms out (a caller that needs only the amounts), against the same baseline.
var engineInvoice = Measure("invoices, Smart rules engine", invoices, i => evaluator.EvaluateInvoice(i));
var bulkInvoice = Measure("invoices, Smart rules engine, no trace (bulk)", invoices, i => evaluator.EvaluateInvoice(i, explain: false));
var amountsInvoice = Measure("invoices, engine, no trace, no late payment", invoices, i => evaluator.EvaluateInvoice(i, explain: false, latePayment: false));
var handInvoice = Measure("invoices, hand-written C# (baseline a)", invoices, i => BelgianRulesByHand.Evaluate(i));
var naiveInvoice = Measure("invoices, naive RulesEngine (baseline b)", invoices, i => NaiveRulesEngine.Evaluate(book, i), seconds / 2);
Console.WriteLine($"  invoices: engine is {handInvoice.PerSecondOneThread / engineInvoice.PerSecondOneThread:0.0}x slower than hand-written, " +
    $"{engineInvoice.PerSecondOneThread / naiveInvoice.PerSecondOneThread:0}x faster than naive RulesEngine (which computes no late-payment terms)");
Console.WriteLine($"  invoices without trace: {handInvoice.PerSecondOneThread / bulkInvoice.PerSecondOneThread:0.0}x slower than hand-written, " +
    $"{bulkInvoice.PerSecondOneThread / naiveInvoice.PerSecondOneThread:0}x faster than naive RulesEngine");
Console.WriteLine($"  invoices without trace or late-payment terms: {handInvoice.PerSecondOneThread / amountsInvoice.PerSecondOneThread:0.0}x slower than hand-written\n");

// The same comparison in CPU time, interleaved: short slices of each, in turn, so that a burst of load on a shared machine
// hits all of them; the ratio of CPU time per invoice, median over the rounds. The figure to quote on a loaded machine.
Interleaved("invoices, CPU time per invoice, interleaved",
    [("hand-written", i => BelgianRulesByHand.Evaluate(i)), ("engine, no trace", i => evaluator.EvaluateInvoice(i, explain: false)),
     ("engine, trace", i => evaluator.EvaluateInvoice(i)), ("engine, no trace, no late payment", i => evaluator.EvaluateInvoice(i, explain: false, latePayment: false))],
    invoices);
if (invoicesOnly) return;

if (book.Find("BE", Topics.Employment, contracts[0].Date) is not null)
{
    var contractsAgree = contracts.Count(c =>
    {
        var e = evaluator.EvaluateContract(c).Value!.Employment;
        return (e.MutualisedContribution, e.EmployerContributions, e.GrossSalary) == BelgianEmploymentByHand.Evaluate(c);
    });
    Console.WriteLine($"Agreement on the employment split: hand-written {contractsAgree}/{contracts.Length}");
    var engineContract = Measure("contracts, Smart rules engine", contracts, c => evaluator.EvaluateContract(c));
    var bulkContract = Measure("contracts, Smart rules engine, no trace (bulk)", contracts, c => evaluator.EvaluateContract(c, explain: false));
    var handContract = Measure("contracts, hand-written C# (baseline a)", contracts, c => BelgianEmploymentByHand.Evaluate(c));
    var naiveContract = Measure("contracts, naive RulesEngine (baseline b)", contracts, c => NaiveEmployment.Evaluate(book, c), seconds / 2);
    Console.WriteLine($"  contracts: engine is {handContract.PerSecondOneThread / engineContract.PerSecondOneThread:0.0}x slower than hand-written, " +
        $"{engineContract.PerSecondOneThread / naiveContract.PerSecondOneThread:0}x faster than naive RulesEngine");
    Console.WriteLine($"  contracts without trace: {handContract.PerSecondOneThread / bulkContract.PerSecondOneThread:0.0}x slower than hand-written");
}
else Console.WriteLine("contracts: no Belgian employment rule set in force, skipped");

// The rule-set workflow: what a publication costs (the whole book rebuilt, every embedded test run) and what checking one
// draft costs, each next to loading the same file(s) without tests or period checks (the parse-and-compile baseline).
var sources = RuleSource.ReadDirectory(Path.Combine(root, "rules")).ToList();
var contribution = sources.First(s => s.Path.EndsWith(Path.Combine("be", "contribution.json"), StringComparison.Ordinal));
var helpers = plugins.Find("BE")!.Plugin.ExpressionHelpers;
Console.WriteLine();
var reload = Time($"rule book rebuilt on publication ({sources.Count} files, their embedded tests)", () => RuleBook.Load(sources, plugins, book));
var compileAll = Time($"  baseline: the {sources.Count} files parsed and compiled only", () =>
{
    foreach (var source in sources) RuleSetLoader.Load(source.Path, source.Text, plugins.Find(source.Country)!.Plugin.ExpressionHelpers);
});
Console.WriteLine($"  rebuild is {reload / compileAll:0.0}x the parse-and-compile baseline");
var check = Time("one draft checked (BE contribution: load, periods, its tests)", () => book.Check(contribution));
var compileOne = Time("  baseline: the same file parsed and compiled only", () => RuleSetLoader.Load(contribution.Path, contribution.Text, helpers));
Console.WriteLine($"  check is {check / compileOne:0.0}x the parse-and-compile baseline");

// E-invoices as the issuing step makes them: the document from the stored invoice and its evaluation, the Peppol BIS 3.0 UBL
// written and checked against the UBL XSD, the PDF; next to the same document serialised as JSON (the baseline: what any
// structured output of the same content costs).
Console.WriteLine();
var einvoices = EInvoiceWorkload.Build(plugins, evaluator, invoices);
var issued = einvoices.Issued.ToArray();
var ubl = PeppolBisFormat.Instance;
var documentsOf = issued.Select(i => einvoices.DocumentOf(i)).ToArray();
var json = Measure("e-invoice content as JSON (baseline)", documentsOf, d => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(d));
var written = Measure("Peppol UBL written, no XSD check", issued, i => ubl.Write(einvoices.DocumentOf(i)));
var checkedUbl = Measure("Peppol UBL written and XSD-checked", issued, i => Smart.Web.EInvoicing.InvoiceDocuments.Write(ubl, einvoices.DocumentOf(i)));
var pdfs = Measure("PDF of the invoice", documentsOf, d => Smart.Web.EInvoicing.InvoicePdf.Render(d, EInvoiceWorkload.Text, EInvoiceWorkload.Culture, demoSeller: true), seconds / 2);
var full = Measure("issuing's files: PDF + UBL embedding it", issued, i =>
{
    var d = einvoices.DocumentOf(i);
    var pdf = Smart.Web.EInvoicing.InvoicePdf.Render(d, EInvoiceWorkload.Text, EInvoiceWorkload.Culture, demoSeller: true);
    return Smart.Web.EInvoicing.InvoiceDocuments.Write(ubl, d with { Visual = new EInvoiceAttachment(d.Number + ".pdf", "application/pdf", pdf) });
}, seconds / 2);
var sample = documentsOf.Take(200).ToList();
double AverageKb(Func<EInvoiceDocument, int> size) => sample.Average(size) / 1024.0;
var ublKb = AverageKb(d => System.Text.Encoding.UTF8.GetByteCount(Smart.Web.EInvoicing.InvoiceDocuments.Write(ubl, d)));
var pdfKb = AverageKb(d => Smart.Web.EInvoicing.InvoicePdf.Render(d, EInvoiceWorkload.Text, EInvoiceWorkload.Culture, true).Length);
var jsonKb = AverageKb(d => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(d).Length);
Console.WriteLine($"  {issued.Length} invoices to businesses; XSD check {1000 / checkedUbl.PerSecondOneThread - 1000 / written.PerSecondOneThread:0.000} ms per document "
    + $"({written.PerSecondOneThread / checkedUbl.PerSecondOneThread:0.0}x the writing alone); UBL {checkedUbl.PerSecondOneThread / json.PerSecondOneThread * 100:0.0} % of the JSON baseline's rate, "
    + $"issuing's files {full.PerSecondOneThread / json.PerSecondOneThread * 100:0.00} %");
Console.WriteLine($"  size per document: UBL {ublKb:0.0} kB, PDF {pdfKb:0.0} kB, UBL with the PDF embedded ≈ {ublKb + pdfKb * 4 / 3:0.0} kB, JSON baseline {jsonKb:0.0} kB");
Console.WriteLine($"  a year of Smart Belgium (208,000 invoices) on one core: UBL {208_000 / checkedUbl.PerSecondOneThread:0} s, with PDFs {208_000 / full.PerSecondOneThread / 60:0.0} min");

double Time(string name, Action action)
{
    action(); // warm up
    var watch = Stopwatch.StartNew();
    var runs = 0;
    while (watch.Elapsed.TotalSeconds < seconds / 2 || runs < 3) { action(); runs++; }
    var milliseconds = watch.Elapsed.TotalMilliseconds / runs;
    Console.WriteLine($"{name,-72} {milliseconds,10:0.00} ms");
    return milliseconds;
}

Result Measure<T, TResult>(string name, T[] documents, Func<T, TResult> evaluate, double? budget = null)
{
    var time = budget ?? seconds;
    // What earlier steps left (the naive engines' compiled methods, the rule book's load) is finalised and collected here,
    // not on the finalizer thread while this measurement runs beside it on a 2-core machine.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    // Warm up for a time, not a count, and on until the runtime has compiled nothing for half a second (at most 20 s): the
    // engine's methods reach their optimised tier only after the runtime's background compilation, which a loaded 2-core
    // machine delays by seconds, so the first measurement, with trace, was partly timed at tier 0.
    var warmUp = Stopwatch.StartNew();
    var (compiled, quietSince) = (JitInfo.GetCompiledMethodCount(), TimeSpan.Zero);
    for (var i = 0; i < 500 || warmUp.Elapsed.TotalSeconds < Math.Max(0.5, time / 2)
        || (warmUp.Elapsed - quietSince).TotalSeconds < 0.5 && warmUp.Elapsed.TotalSeconds < 20; i++)
    {
        evaluate(documents[i % documents.Length]);
        if (i % 256 == 0 && JitInfo.GetCompiledMethodCount() != compiled) (compiled, quietSince) = (JitInfo.GetCompiledMethodCount(), warmUp.Elapsed);
    }

    var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    long done = 0;
    while (watch.Elapsed.TotalSeconds < time)
        for (var i = 0; i < 100; i++) evaluate(documents[done++ % documents.Length]);
    var oneThread = done / watch.Elapsed.TotalSeconds;
    var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)done;

    var cores = Environment.ProcessorCount;
    long total = 0;
    watch.Restart();
    Parallel.For(0, cores, worker =>
    {
        long mine = 0;
        while (watch.Elapsed.TotalSeconds < time)
            for (var i = 0; i < 100; i++) evaluate(documents[(worker * 7919 + mine++) % documents.Length]);
        Interlocked.Add(ref total, mine);
    });
    var allCores = total / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"{name,-44} {oneThread,12:N0}/s one thread  {allCores,12:N0}/s on {cores} cores  {bytes,10:N0} B allocated per document");
    return new Result(oneThread, allCores, bytes);
}

// Each measurement in turn for a slice of time, rotating which goes first; prints each one's median CPU time per document and
// its median ratio to the first (the baseline), with the range over the rounds.
void Interleaved<T>(string title, (string Name, Action<T> Run)[] measurements, T[] documents)
{
    const double slice = 0.5;
    var process = Process.GetCurrentProcess();
    (double Nanoseconds, double Bytes) Slice(Action<T> run, double time)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        long done = 0;
        while (watch.Elapsed.TotalSeconds < time)
            for (var i = 0; i < 100; i++) run(documents[done++ % documents.Length]);
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalNanoseconds / done, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)done);
    }
    foreach (var (_, run) in measurements) Slice(run, 1.0); // warm up
    var perDocument = new double[measurements.Length, rounds];
    var bytes = new double[measurements.Length];
    for (var round = 0; round < rounds; round++)
        for (var k = 0; k < measurements.Length; k++)
        {
            var m = (k + round) % measurements.Length;
            (perDocument[m, round], bytes[m]) = Slice(measurements[m].Run, slice);
        }
    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
    var load = File.Exists("/proc/loadavg") ? $", load average {string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "";
    Console.WriteLine($"{title} ({rounds} rounds of {slice:0.0} s{load}):");
    for (var m = 0; m < measurements.Length; m++)
    {
        var ratios = Enumerable.Range(0, rounds).Select(round => perDocument[m, round] / perDocument[0, round]).ToArray();
        Console.WriteLine($"  {measurements[m].Name,-36} {Median(Enumerable.Range(0, rounds).Select(round => perDocument[m, round])),8:N0} ns CPU  "
            + (m == 0 ? "" : $"{Median(ratios),5:0.0}x ({ratios.Min():0.0}–{ratios.Max():0.0})  ") + $"{bytes[m],8:N0} B allocated per document");
    }
    Console.WriteLine();
}

string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Smart.Intranet.sln"))) return dir.FullName;
    throw new InvalidOperationException("run from inside the repository");
}

record Result(double PerSecondOneThread, double PerSecondAllCores, double BytesPerDocument);
