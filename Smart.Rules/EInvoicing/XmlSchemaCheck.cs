using System.Reflection;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Smart.Rules.EInvoicing;

/// <summary>
/// An official XSD set embedded in an assembly, compiled once and shared: its includes and imports are read from the same
/// assembly's resources (never the network), so a plugin can ship its country's schemas the way Smart.Rules ships UBL's.
/// </summary>
public sealed class XmlSchemaCheck
{
    private readonly XmlSchemaSet schemas;

    /// <param name="prefix">Resource names are <paramref name="prefix"/> + a path relative to the schema folder, with '/' separators.</param>
    public XmlSchemaCheck(Assembly assembly, string prefix, params string[] roots)
    {
        var resolver = new EmbeddedResolver(assembly, prefix);
        schemas = new XmlSchemaSet { XmlResolver = resolver };
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = resolver };
        foreach (var root in roots)
        {
            using var reader = XmlReader.Create(resolver.Open(root), settings, EmbeddedResolver.BaseUri + root);
            schemas.Add(null, reader);
        }
        schemas.Compile();
    }

    public IReadOnlyList<string> Problems(XDocument document)
    {
        var problems = new List<string>();
        document.Validate(schemas, (_, e) => problems.Add(e.Message));
        return problems;
    }

    private sealed class EmbeddedResolver(Assembly assembly, string prefix) : XmlResolver
    {
        public const string BaseUri = "embedded:///";

        public Stream Open(string path) =>
            assembly.GetManifestResourceStream(prefix + path) ?? throw new FileNotFoundException($"The schema {path} is not embedded in {assembly.GetName().Name}.");

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn) => Open(Normalise(absoluteUri.AbsolutePath.TrimStart('/')));

        public override Uri ResolveUri(Uri? baseUri, string? relativeUri) => new(baseUri ?? new Uri(BaseUri), relativeUri);

        /// <summary>Folds "a/../b" the UBL schemas use between maindoc and common.</summary>
        private static string Normalise(string path)
        {
            var parts = new List<string>();
            foreach (var part in path.Split('/'))
                if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); }
                else if (part is not ("" or ".")) parts.Add(part);
            return string.Join('/', parts);
        }
    }
}
