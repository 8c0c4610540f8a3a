using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace Smart.Rules.Plugins;

/// <summary>
/// The country plugins found in a directory: one subfolder per country, each with its <c>plugin.json</c>
/// and optionally one assembly, loaded in a context of its own. A bad plugin is reported and skipped.
/// </summary>
public sealed class PluginCatalog
{
    public const string ManifestFileName = "plugin.json";

    /// <summary>
    /// The version of the plugin contract this host offers (<see cref="ICountryPlugin"/>, the manifest, the helpers of Smart.Rules): a
    /// plugin declares the range it was built for, and one of another major version is refused before its assembly is loaded, since a
    /// missing member would otherwise fail at the first invoice rather than at start-up. Raise the major version with any breaking change.
    /// </summary>
    public const string HostVersion = "1.x";

    private const int HostMajorVersion = 1;

    private PluginCatalog(IReadOnlyList<CountryPluginInfo> plugins, IReadOnlyList<PluginProblem> problems)
    {
        Plugins = plugins;
        Problems = problems;
        byOrder = [.. plugins];
    }

    // An array, not the list's interface: a foreach over IReadOnlyList boxes its enumerator on every call.
    private readonly CountryPluginInfo[] byOrder;

    public IReadOnlyList<CountryPluginInfo> Plugins { get; }

    public IReadOnlyList<PluginProblem> Problems { get; }

    public CountryPluginInfo? Find(string country)
    {
        // Called for every client of every evaluated document: a plain loop over eight entries, no allocation.
        foreach (var plugin in byOrder)
            if (string.Equals(plugin.Manifest.Country, country, StringComparison.OrdinalIgnoreCase)) return plugin;
        return null;
    }

    /// <summary>The same plugins with their manifests changed, e.g. by a deployment's configuration; the problems stay.</summary>
    public PluginCatalog WithManifests(Func<PluginManifest, PluginManifest> change) =>
        new(Plugins.Select(p => p with { Manifest = change(p.Manifest) }).ToList(), Problems);

    public static PluginCatalog Load(string directory)
    {
        var plugins = new List<CountryPluginInfo>();
        var problems = new List<PluginProblem>();
        if (!Directory.Exists(directory))
        {
            problems.Add(new PluginProblem(directory, $"The plugins directory '{directory}' does not exist."));
            return new PluginCatalog(plugins, problems);
        }

        var folders = Directory.GetDirectories(directory)
            .Where(folder => File.Exists(Path.Combine(folder, ManifestFileName)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (folders.Count == 0)
            problems.Add(new PluginProblem(directory, $"The plugins directory '{directory}' holds no folder with a {ManifestFileName}."));

        foreach (var folder in folders)
        {
            FolderResult result;
            // One plugin's failure, whatever it is, must not stop the host from loading the others.
            try { result = LoadFolder(folder); }
            catch (Exception e) { result = Fail($"The plugin cannot be loaded: {e.GetType().Name}: {e.Message}"); }
            if (result.Problem is not null)
                problems.Add(new PluginProblem(folder, result.Problem));
            else if (plugins.Find(p => p.Manifest.Country == result.Plugin!.Manifest.Country) is { } earlier)
                problems.Add(new PluginProblem(folder, $"Country {result.Plugin!.Manifest.Country} is already provided by '{earlier.Folder}'."));
            else
                plugins.Add(result.Plugin!);
        }
        return new PluginCatalog(plugins, problems);
    }

    private readonly record struct FolderResult(CountryPluginInfo? Plugin, string? Problem);

    private static FolderResult Fail(string problem) => new(null, problem);

    private static FolderResult LoadFolder(string folder)
    {
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(Path.Combine(folder, ManifestFileName)), PluginManifest.JsonOptions);
        }
        catch (JsonException e)
        {
            return Fail($"{ManifestFileName} is not a valid manifest: {e.Message}");
        }
        catch (IOException e)
        {
            return Fail($"{ManifestFileName} cannot be read: {e.Message}");
        }
        if (manifest is null) return Fail($"{ManifestFileName} is empty.");
        if (ManifestProblem(manifest) is { } problem) return Fail(problem);

        if (manifest.Assembly is null)
            return new(new CountryPluginInfo(manifest, new DataOnlyPlugin(manifest.Country), folder), null);

        try
        {
            return LoadAssembly(manifest, folder);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or TypeLoadException or TargetInvocationException or MissingMethodException)
        {
            return Fail($"The assembly '{manifest.Assembly}' cannot be loaded: {e.GetType().Name}: {e.Message}");
        }
    }

    private static string? ManifestProblem(PluginManifest manifest)
    {
        // System.Text.Json checks that required properties are present, not that they are non-null.
        if (manifest.Country is null || manifest.Country.Length != 2 || !manifest.Country.All(char.IsAsciiLetterUpper))
            return "country must be an upper-case ISO 3166-1 alpha-2 code.";
        if (manifest.Names is null || manifest.Names.Count == 0) return "names must name the country in at least one language.";
        if (manifest.Currency is null || manifest.Currency.Length != 3 || !manifest.Currency.All(char.IsAsciiLetterUpper))
            return "currency must be an ISO 4217 code.";
        if (manifest.MinorUnit is < 0 or > 4) return "minorUnit must be between 0 and 4.";
        if (manifest.Languages is null || manifest.Languages.Count == 0) return "languages must list at least one language.";
        if (manifest.Issuers is null || manifest.Issuers.Count == 0) return "issuers must list at least one issuing entity.";
        if (manifest.Issuers.Any(i => i is null || string.IsNullOrWhiteSpace(i.Id) || string.IsNullOrWhiteSpace(i.Name)))
            return "every issuer needs an id and a name.";
        if (manifest.Issuers.Count(i => i.Default) > 1) return "at most one issuer may be the default.";
        if (manifest.Issuers.Select(i => i.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count() != manifest.Issuers.Count)
            return "issuer ids must be unique.";
        if (manifest.Assembly is not null && (manifest.Assembly.Length == 0 || Path.GetFileName(manifest.Assembly) != manifest.Assembly))
            return "assembly must be a file name in the plugin's folder.";
        if (MajorVersion(manifest.HostVersion) is not { } major)
            return $"hostVersion '{manifest.HostVersion}' is not a host version range such as {HostVersion}.";
        if (major != HostMajorVersion)
            return $"The plugin was built for host version {manifest.HostVersion}; this host is {HostVersion}. Install the plugin's release for {HostVersion}, or rebuild it against this host's Smart.Rules.";
        return null;
    }

    /// <summary>The major version of a range written "1.x", "1" or "1.2": the part before the first dot.</summary>
    private static int? MajorVersion(string? range)
    {
        var major = range?.Split('.')[0];
        return int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static FolderResult LoadAssembly(PluginManifest manifest, string folder)
    {
        var path = Path.GetFullPath(Path.Combine(folder, manifest.Assembly!));
        if (!File.Exists(path)) return Fail($"The assembly '{manifest.Assembly}' named in {ManifestFileName} is not in the folder.");

        var context = new PluginLoadContext(manifest.Country, Path.GetDirectoryName(path)!);
        var assembly = context.LoadFromAssemblyPath(path);
        var candidates = assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(ICountryPlugin).IsAssignableFrom(t))
            .ToList();
        if (candidates.Count == 0)
            return Fail($"'{manifest.Assembly}' has no public class implementing {nameof(ICountryPlugin)}.");
        if (candidates.Count > 1)
            return Fail($"'{manifest.Assembly}' has several classes implementing {nameof(ICountryPlugin)}: {string.Join(", ", candidates.Select(t => t.FullName))}.");
        if (candidates[0].GetConstructor(Type.EmptyTypes) is null)
            return Fail($"{candidates[0].FullName} has no public parameterless constructor.");

        var plugin = (ICountryPlugin)Activator.CreateInstance(candidates[0])!;
        if (!string.Equals(plugin.Country, manifest.Country, StringComparison.Ordinal))
            return Fail($"{candidates[0].FullName} is for country '{plugin.Country}' but {ManifestFileName} says '{manifest.Country}'.");
        return new(new CountryPluginInfo(manifest, plugin, folder), null);
    }

    /// <summary>
    /// One plugin's assemblies. Smart.Rules and the framework come from the default context,
    /// so that the plugin's <see cref="ICountryPlugin"/> is the host's.
    /// </summary>
    private sealed class PluginLoadContext(string country, string folder) : AssemblyLoadContext("plugin:" + country, isCollectible: false)
    {
        private static readonly string SharedAssembly = typeof(ICountryPlugin).Assembly.GetName().Name!;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (name is null || IsShared(name)) return null;
            var path = Path.Combine(folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var path = Path.Combine(folder, unmanagedDllName);
            return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
        }

        private static bool IsShared(string name) =>
            name == SharedAssembly
            || name is "mscorlib" or "netstandard"
            || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    /// <summary>A country described by its manifest alone: no validators, and the invoice number as payment reference.</summary>
    private sealed class DataOnlyPlugin(string country) : ICountryPlugin
    {
        public string Country => country;
        public IReadOnlyDictionary<IdentifierKind, IIdentifierValidator> Validators { get; } = new Dictionary<IdentifierKind, IIdentifierValidator>();
        public string PaymentReference(long invoiceNumber) => invoiceNumber.ToString(CultureInfo.InvariantCulture);
        public IReadOnlyList<Type> ExpressionHelpers { get; } = [];
    }
}

public sealed record CountryPluginInfo(PluginManifest Manifest, ICountryPlugin Plugin, string Folder);

public sealed record PluginProblem(string Folder, string Message);
