using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;

namespace Smart.Web.Behaviours;

/// <summary>
/// Refuses a post whose numbers could not be read, and turns what the behaviours and handlers throw into a page's answer: field errors into ModelState and the same page
/// again, <see cref="ForbiddenException"/> into 403, <see cref="NotFoundException"/> into 404. Page models only send. A page that renders
/// (after its GET or a refused post) gets its <see cref="IPageChoices"/> loaded here, so no view reads a store.
/// </summary>
public sealed class RequestOutcomePageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // A posted number that could not be read ("abc", "1.500") would reach the handler as empty or 0 and be saved so. The bound
        // request holding it is marked: the validation behaviour refuses that request (the page's other requests, loading what it
        // shows, still run), and the page comes back with the field's error. A number outside any bound request stops the handler.
        var refused = Localization.DecimalModelBinder.Refused(context.HttpContext);
        if (refused.Count > 0 && context.HandlerInstance is PageModel refusing)
        {
            var bound = BoundProperties(refusing.GetType())
                .Where(p => refused.Any(key => key == p.Name || key.StartsWith(p.Name + ".", StringComparison.Ordinal) || key.StartsWith(p.Name + "[", StringComparison.Ordinal)))
                .Select(p => p.GetValue(refusing)).OfType<object>().ToList();
            if (bound.Count == 0 && !HttpMethods.IsGet(context.HttpContext.Request.Method))
            {
                context.Result = refusing.Page();
                await LoadChoicesAsync(refusing, context.HttpContext.RequestAborted);
                return;
            }
            foreach (var request in bound) RefusedRequests.Add(context.HttpContext, request);
        }
        var executed = await next();
        switch (executed.Exception)
        {
            case RequestValidationException invalid when executed.HandlerInstance is PageModel page:
                var prefix = BoundPropertyFor(page.GetType(), invalid.RequestType) is { } bound ? bound + "." : "";
                foreach (var (field, messages) in invalid.Errors)
                {
                    var key = field.Length == 0 ? "" : prefix + field;
                    foreach (var message in messages)
                        if (page.ModelState[key]?.Errors.Any(e => e.ErrorMessage == message) != true)
                            page.ModelState.AddModelError(key, message);
                }
                executed.Result = page.Page();
                executed.ExceptionHandled = true;
                break;
            case ForbiddenException:
                executed.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                executed.ExceptionHandled = true;
                break;
            case NotFoundException:
                executed.Result = new NotFoundResult();
                executed.ExceptionHandled = true;
                break;
        }
        if (executed.Result is PageResult && (executed.Exception is null || executed.ExceptionHandled) && executed.HandlerInstance is PageModel rendered)
            await LoadChoicesAsync(rendered, context.HttpContext.RequestAborted);
    }

    private static async Task LoadChoicesAsync(PageModel page, CancellationToken cancellationToken)
    {
        if (page is IPageChoices choices) PageChoices.Put(page.ViewData, await choices.LoadChoicesAsync(cancellationToken));
    }

    /// <summary>The bound property holding the request (by convention <c>Data</c>), so "Email" is shown at "Data.Email".</summary>
    private static string? BoundPropertyFor(Type pageType, Type requestType) =>
        BoundProperties(pageType).FirstOrDefault(p => p.PropertyType.IsAssignableFrom(requestType) && p.PropertyType != typeof(object))?.Name;

    private static IEnumerable<PropertyInfo> BoundProperties(Type pageType)
    {
        var bindsAll = pageType.GetCustomAttribute<BindPropertiesAttribute>() is not null;
        return pageType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => bindsAll || p.GetCustomAttribute<BindPropertyAttribute>() is not null);
    }
}

/// <summary>The requests a page bound from a post whose numbers could not all be read: sending one is refused, its errors already on the page.</summary>
public static class RefusedRequests
{
    private static readonly object Key = new();

    public static void Add(HttpContext context, object request)
    {
        if (!context.Items.TryGetValue(Key, out var set)) context.Items[Key] = set = new HashSet<object>(ReferenceEqualityComparer.Instance);
        ((HashSet<object>)set!).Add(request);
    }

    public static bool Contains(HttpContext? context, object request) =>
        context is not null && context.Items.TryGetValue(Key, out var set) && ((HashSet<object>)set!).Contains(request);
}
