using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Smart.Web.Behaviours;

/// <summary>
/// A page whose view offers choices read from the stores (production units, clients, legal forms). The outcome filter loads them whenever
/// the page renders — after its GET, and after a post refused with the form's errors, which never runs the GET — so they always come
/// through a MediatR request and its authorisation, never from the view.
/// </summary>
public interface IPageChoices
{
    /// <summary>Sends the request for the page's choices from what the page holds (the form's production unit, the route's id).</summary>
    Task<object> LoadChoicesAsync(CancellationToken cancellationToken);
}

/// <summary>Where the loaded choices wait for the view: in its ViewData, which the partials rendered with a form's prefix (their model is then the form) receive too.</summary>
public static class PageChoices
{
    public static void Put(ViewDataDictionary viewData, object choices) => viewData[Key(choices.GetType())] = choices;

    /// <summary>The choices of type <typeparamref name="T"/> the page loaded.</summary>
    public static T Choices<T>(this ViewDataDictionary viewData) where T : class =>
        viewData[Key(typeof(T))] as T ?? throw new InvalidOperationException($"The page did not load its {typeof(T).Name}: its model implements {nameof(IPageChoices)}.");

    private static string Key(Type type) => "choices:" + type.FullName;
}
