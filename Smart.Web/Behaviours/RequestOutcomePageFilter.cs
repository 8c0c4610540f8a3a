using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;

namespace Smart.Web.Behaviours;

/// <summary>
/// Refuses a post whose numbers could not be read, and turns what the behaviours and handlers throw into a page's answer: field errors into ModelState and the same page
/// again, <see cref="ForbiddenException"/> into 403, <see cref="NotFoundException"/> into 404. Page models only send.
/// </summary>
public sealed class RequestOutcomePageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // A posted number that could not be read ("abc", "1.500") would reach the handler as empty or 0 and be saved so: the page
        // comes back with the field's error instead, the handler not run.
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method) && context.HandlerInstance is PageModel refused
            && Localization.DecimalModelBinder.RefusedAny(context.HttpContext))
        {
            context.Result = refused.Page();
            return;
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
    }

    /// <summary>The bound property holding the request (by convention <c>Data</c>), so "Email" is shown at "Data.Email".</summary>
    private static string? BoundPropertyFor(Type pageType, Type requestType)
    {
        var bindsAll = pageType.GetCustomAttribute<BindPropertiesAttribute>() is not null;
        return pageType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.PropertyType.IsAssignableFrom(requestType) && p.PropertyType != typeof(object)
                && (bindsAll || p.GetCustomAttribute<BindPropertyAttribute>() is not null))
            ?.Name;
    }
}
