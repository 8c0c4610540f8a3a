using System.Text.RegularExpressions;

namespace Smart.Web.Tests;

/// <summary>
/// A view only renders what its page model loaded: a store injected into a .cshtml reads data outside the request pipeline, so outside
/// the authorisation behaviour (a refused post re-rendered a unit's clients of a country the user may not see).
/// </summary>
public partial class ViewsOnlyRenderTests
{
    [GeneratedRegex(@"@inject\s+(?:[\w.]+\.)?I\w*Store\b")]
    private static partial Regex InjectedStore();

    [Fact]
    public void No_view_injects_a_store()
    {
        var pages = Path.Combine(Repo.Root, "Smart.Web");
        var views = Directory.EnumerateFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .Where(v => !v.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !v.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(views);
        var offenders = views
            .SelectMany(view => File.ReadLines(view).Select((line, i) => (view, line, number: i + 1)))
            .Where(x => InjectedStore().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(Repo.Root, x.view)}:{x.number}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Views inject stores; load through the page's request instead:\n" + string.Join("\n", offenders));
    }
}
