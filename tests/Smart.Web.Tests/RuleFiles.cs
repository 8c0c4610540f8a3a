using System.Globalization;
using System.Text.Json;

namespace Smart.Web.Tests;

/// <summary>What the rule files say, read from the files themselves, so expected figures follow the law as the files encode it.</summary>
public static class RuleFiles
{
    /// <summary>The value of a parameter of <c>rules/{country}/{topic}.json</c> in force on <paramref name="day"/>.</summary>
    public static decimal Parameter(string country, string topic, string name, DateOnly day)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "rules", country, topic + ".json")));
        return file.RootElement.GetProperty("parameters").GetProperty(name).GetProperty("values").EnumerateArray()
            .Where(v => DateOnly.ParseExact(v.GetProperty("from").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) <= day)
            .OrderBy(v => v.GetProperty("from").GetString(), StringComparer.Ordinal)
            .Last().GetProperty("value").GetDecimal();
    }

    /// <summary>Money as the rules round it: half away from zero, to the cent.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
