namespace Smart.Rules.Tests;

/// <summary>A rule file is data written by people outside the development team: its expressions must stay in their sandbox.</summary>
public class SecurityTests
{
    public static TheoryData<string> Escapes() =>
    [
        "System.IO.File.Exists(\\\"/etc/passwd\\\")",
        "System.IO.File.ReadAllText(\\\"/etc/passwd\\\") != \\\"\\\"",
        "System.Diagnostics.Process.Start(\\\"sh\\\") != null",
        "Environment.Exit(1) == null",
        "\\\"x\\\".GetType().Assembly.FullName != \\\"\\\"",
        "Type.GetType(\\\"System.IO.File\\\") != null",
        "line.GetType().Name == \\\"LineFacts\\\"",
        "AppDomain.CurrentDomain.FriendlyName != \\\"\\\"",
        "new System.Net.Http.HttpClient() != null",
        "Activator.CreateInstance(\\\"System.IO.FileInfo\\\") != null",
    ];

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Expression_cannot_reach_files_processes_network_or_reflection(string expression)
    {
        using var rules = new TempRules();
        var marker = Path.Combine(rules.Directory, "escaped");
        var path = rules.Write("vat.json", TempRules.MinimalVat(expression: expression.Replace("/etc/passwd", marker)));
        var book = rules.Load();
        Assert.Contains(book.Problems, p => p.File == path && p.Path == "workflow.Rules[0].Expression");
        Assert.DoesNotContain(book.RuleSets, s => s.Path == path);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Plain_arithmetic_and_the_documented_inputs_are_allowed()
    {
        using var rules = new TempRules();
        var path = rules.Write("vat.json", TempRules.MinimalVat(expression: "Math.Max(line.Net, 0m) >= 0m && client.Country.Length == 2 || doc.Year > 2000"));
        Assert.DoesNotContain(rules.Load().Problems, p => p.File == path);
    }
}
