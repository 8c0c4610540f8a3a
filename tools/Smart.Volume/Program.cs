using System.Globalization;
using Smart.Volume;

// smart-volume generate [DATA_DIR] [--scale X] [--rules DIR] [--plugins DIR]: see volume.sh and the README's "Volume and load".
var repository = FindRepository();
var positional = new List<string>();
var scale = 1.0;
var rulesDirectory = Path.Combine(repository, "rules");
var pluginsDirectory = Path.Combine(repository, "artifacts", "plugins");
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--scale": scale = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rules": rulesDirectory = Path.GetFullPath(args[++i]); break;
        case "--plugins": pluginsDirectory = Path.GetFullPath(args[++i]); break;
        default: positional.Add(args[i]); break;
    }
}
// smart-volume reevaluate [DATA_DIR] [--country CC] [--raise-contribution] [--raise-employment] [--batch N] [--shared]: see ReevaluationMeasurement.
if (positional.Count > 0 && positional[0] == "reevaluate") return await ReevaluationMeasurement.RunAsync(args, rulesDirectory, pluginsDirectory);
if (positional.Count == 0 || positional[0] != "generate")
{
    Console.Error.WriteLine("usage: Smart.Volume generate [DATA_DIR] [--scale 1.0] [--rules DIR] [--plugins DIR]");
    Console.Error.WriteLine("       Smart.Volume reevaluate [DATA_DIR] [--country CC] [--raise-contribution] [--raise-employment] [--batch N] [--shared]");
    return 2;
}
var dataDirectory = Path.GetFullPath(positional.Count > 1 ? positional[1] : "volume-data");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Generating a year at scale {scale} into {dataDirectory} on {Environment.ProcessorCount} cores"));
try
{
    var report = await new VolumeGenerator(new VolumeOptions(dataDirectory, rulesDirectory, pluginsDirectory) { Scale = scale }).GenerateAsync();
    Console.WriteLine();
    foreach (var (kind, count) in report.Counts) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind,-20} {count,9:N0}"));
    var size = new FileInfo(Path.Combine(dataDirectory, Smart.Web.Storage.StorageServices.DatabaseFileName)).Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"total {report.Total.TotalSeconds:F1} s, store {size / 1048576.0:F0} MiB, {report.Rejected} documents refused by the rules (left out)"));
    return report.Rejected == 0 ? 0 : 1;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}

static string FindRepository()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        if (File.Exists(Path.Combine(directory.FullName, "Smart.Intranet.sln"))) return directory.FullName;
    return Directory.GetCurrentDirectory();
}
