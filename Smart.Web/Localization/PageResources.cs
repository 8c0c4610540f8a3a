using Microsoft.Extensions.Localization;

namespace Smart.Web.Localization;

/// <summary>
/// Finds a page's texts: a view's IViewLocalizer and its request types' validation messages and field names read
/// the same file, Resources/Pages/&lt;Feature&gt;/&lt;Page&gt;.{fr,nl}.resx, and fall back to <see cref="SharedResource"/>.
/// </summary>
public static class PageResources
{
    private const string AppNamespace = "Smart.Web.";

    /// <summary>The texts for a page model or a type nested in one (its Query, Command); other types get the shared texts.</summary>
    public static IStringLocalizer For(Type type, IStringLocalizerFactory factory)
    {
        var shared = factory.Create(typeof(SharedResource));
        return BaseNameOf(type) is { } baseName
            ? new FallbackLocalizer(factory.Create(baseName, typeof(PageResources).Assembly.GetName().Name!), shared)
            : shared;
    }

    /// <summary>Smart.Web.Pages.Members.EditModel+Command → "Pages.Members.Edit", the name IViewLocalizer uses for Pages/Members/Edit.cshtml.</summary>
    public static string? BaseNameOf(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring) outer = declaring;
        var name = outer.FullName;
        if (name is null || !name.StartsWith(AppNamespace + "Pages.", StringComparison.Ordinal) || !name.EndsWith("Model", StringComparison.Ordinal))
            return null;
        return name[AppNamespace.Length..^"Model".Length];
    }

    private sealed class FallbackLocalizer(IStringLocalizer first, IStringLocalizer then) : IStringLocalizer
    {
        public LocalizedString this[string name] => first[name] is { ResourceNotFound: false } found ? found : then[name];

        public LocalizedString this[string name, params object[] arguments] =>
            first[name, arguments] is { ResourceNotFound: false } found ? found : then[name, arguments];

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
            first.GetAllStrings(includeParentCultures).Concat(then.GetAllStrings(includeParentCultures));
    }
}
