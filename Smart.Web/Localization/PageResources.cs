using Microsoft.Extensions.Localization;

namespace Smart.Web.Localization;

/// <summary>
/// Finds a page's texts: a view's IViewLocalizer and its request types' validation messages and field names read
/// the same file, Resources/Pages/&lt;Feature&gt;/&lt;Page&gt;.{fr,nl}.resx, and fall back to <see cref="SharedResource"/>.
/// </summary>
public static class PageResources
{
    private const string AppNamespace = "Smart.Web.";

    /// <summary>
    /// The texts for a page model or a type nested in one (its Query, Command), then for the shared form fields it
    /// derives from (ClientFields → its partial's file, Pages/Clients/_ClientFields), then the shared texts.
    /// </summary>
    public static IStringLocalizer For(Type type, IStringLocalizerFactory factory)
    {
        var assembly = typeof(PageResources).Assembly.GetName().Name!;
        IStringLocalizer localizer = factory.Create(typeof(SharedResource));
        var names = new List<string>();
        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
            if (BaseNameOf(current) is { } name && !names.Contains(name)) names.Add(name);
        for (var i = names.Count - 1; i >= 0; i--) localizer = new FallbackLocalizer(factory.Create(names[i], assembly), localizer);
        return localizer;
    }

    /// <summary>
    /// Smart.Web.Pages.Members.EditModel+Command → "Pages.Members.Edit", the name IViewLocalizer uses for
    /// Pages/Members/Edit.cshtml; a form-fields type Smart.Web.Pages.Clients.ClientFields → "Pages.Clients._ClientFields",
    /// the file of the partial that renders it (partials see their model's static type, not the page's command).
    /// </summary>
    public static string? BaseNameOf(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring) outer = declaring;
        var name = outer.FullName;
        if (name is null || !name.StartsWith(AppNamespace + "Pages.", StringComparison.Ordinal)) return null;
        if (name.EndsWith("Model", StringComparison.Ordinal)) return name[AppNamespace.Length..^"Model".Length];
        var dot = name.LastIndexOf('.');
        return $"{name[AppNamespace.Length..dot]}._{name[(dot + 1)..]}";
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
