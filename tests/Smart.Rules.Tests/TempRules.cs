using Smart.Rules.RuleSets;

namespace Smart.Rules.Tests;

/// <summary>A throw-away rules directory with a minimal Belgian book, for tests that break files on purpose.</summary>
public sealed class TempRules : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("smart-rules-").FullName;

    public TempRules()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "be"));
        Write("contribution.json", File.ReadAllText(Path.Combine(Repo.RulesDirectory, "be", "contribution.json")));
        Write("vat.json", MinimalVat());
    }

    public string Write(string name, string json)
    {
        var path = Path.Combine(Directory, "be", name);
        File.WriteAllText(path, json);
        return path;
    }

    public RuleBook Load(RuleBook? inForce = null) => RuleBook.Load(Directory, Repo.Plugins.Value, inForce);

    /// <summary>A small but complete VAT rule set; each argument replaces one part so a test can break exactly one thing.</summary>
    public static string MinimalVat(string expression = "true", string output = "StandardRate", string values = """[ { "from": "2014-01-01", "value": 0.21 } ]""",
        string tests = "[]", string validity = "\"validFrom\": \"2014-01-01\"", string? extraParameters = null) => $$"""
        {
          "country": "BE",
          "topic": "vat",
          "version": "test",
          "description": "test rule set",
          {{validity}},
          "parameters": {
            "StandardRate": {
              "description": "Standard rate.",
              "unit": "rate",
              "source": { "title": "Code de la TVA", "article": "art. 37" },
              "values": {{values}}
            }{{extraParameters}}
          },
          "workflow": {
            "WorkflowName": "be-vat",
            "Rules": [
              {
                "RuleName": "standard-rate",
                "Expression": "{{expression}}",
                "SuccessEvent": "standard", "Properties": { "vatCategory": "S" },
                "Actions": { "OnSuccess": { "Name": "OutputExpression", "Context": { "Expression": "{{output}}" } } }
              }
            ]
          },
          "ruleSources": { "standard-rate": { "title": "Code de la TVA", "article": "art. 37" } },
          "tests": {{tests}}
        }
        """;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
