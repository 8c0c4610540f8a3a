namespace Smart.Web.Security;

/// <summary>The browser-side protections every response carries, pages, API, files and error pages alike.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from the app's own files (no inline script, no eval); Monaco starts its workers from blob: URLs and injects
    /// its styles, and the progress bars set their width inline, hence style 'unsafe-inline' (styles cannot run code);
    /// Bootstrap draws its icons from data: SVGs. No framing, no plugins, forms post only here.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Set as the headers go out: the exception handler clears the response, and a status page is a second pass.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
