using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Smart.Web.Tests;

/// <summary>One convention per thing (docs/intranet.md): <c>Data</c> is what a form posts; what a page read is named after what it is.</summary>
public sealed class PageConventionTests
{
    [Fact]
    public void A_page_property_named_Data_is_always_what_a_form_posts()
    {
        var pages = typeof(Program).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PageModel))).ToList();
        var data = pages.Select(p => p.GetProperty("Data", BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .OfType<PropertyInfo>().ToList();

        var notPosted = data.Where(p => p.GetCustomAttribute<BindPropertyAttribute>() is null
                                        && p.DeclaringType!.GetCustomAttribute<BindPropertiesAttribute>() is null)
            .Select(p => p.DeclaringType!.FullName).ToList();

        Assert.True(data.Count >= 10, $"only {data.Count} pages post a form named Data");
        Assert.Empty(notPosted);
    }
}
