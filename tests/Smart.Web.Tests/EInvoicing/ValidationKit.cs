using System.Diagnostics;
using System.Text.Json;

namespace Smart.Web.Tests.EInvoicing;

/// <summary>The official e-invoice checks (tests/einvoicing/validate: OASIS UBL XSD, CEN EN 16931 and Peppol BIS 3.0 schematrons, FatturaPA XSD).</summary>
public static class ValidationKit
{
    public sealed record Problem(string File, string Flag, string Source, string Id, string Text)
    {
        public bool Fails => Flag is "fatal" or "error";
        public override string ToString() => $"{Path.GetFileName(File)} [{Flag}] {Source} {Id}: {Text}";
    }

    /// <summary>Runs the kit once over every file (one JVM, each schematron compiled once) and returns every problem it reports.</summary>
    public static async Task<IReadOnlyList<Problem>> ProblemsAsync(IReadOnlyList<string> files)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Smart.Intranet.sln"))) root = Path.GetDirectoryName(root)!;
        var start = new ProcessStartInfo(Path.Combine(root, "tests", "einvoicing", "validate")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--json");
        foreach (var file in files) start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var json = await stdout;
        Assert.True(json.TrimStart().StartsWith('{'), $"validate printed no JSON: {await stderr}");
        var problems = new List<Problem>();
        foreach (var file in JsonDocument.Parse(json).RootElement.EnumerateObject())
            foreach (var problem in file.Value.GetProperty("problems").EnumerateArray())
                problems.Add(new Problem(file.Name, problem.GetProperty("flag").GetString()!, problem.GetProperty("source").GetString() ?? "",
                    problem.GetProperty("id").GetString() ?? "", problem.GetProperty("text").GetString() ?? ""));
        return problems;
    }

    /// <summary>The fatal and error problems, as lines to print.</summary>
    public static async Task<IReadOnlyList<string>> FailuresAsync(IReadOnlyList<string> files) =>
        (await ProblemsAsync(files)).Where(p => p.Fails).Select(p => p.ToString()).ToList();
}
