using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Smart.Web.Pages.Account;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Security;

/// <summary>
/// How many sign-in attempts and API calls are let through in each window (<c>Smart:RateLimits</c>), per client address and per
/// account or API key. 0 means no limit. The address is the connection's, or the client's behind a known proxy (forwarded headers).
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "Smart:RateLimits";

    public int WindowSeconds { get; set; } = 60;
    /// <summary>Sign-in posts from one address: an office behind one NAT still signs in, a script guessing passwords does not.</summary>
    public int SignInPerAddress { get; set; } = 20;
    /// <summary>Sign-in posts naming one e-mail, from anywhere: above the five wrong passwords that lock it.</summary>
    public int SignInPerAccount { get; set; } = 10;
    /// <summary>API calls from one address.</summary>
    public int ApiPerAddress { get; set; } = 1200;
    /// <summary>API calls presenting one key (known or not).</summary>
    public int ApiPerKey { get; set; } = 1200;
}

public static class RateLimits
{
    public const string SignInPath = "/Account/SignIn";

    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section);
        services.AddRateLimiter(_ => { });
        // Read when the limiter is built, so the configuration a test or an environment gives is the one used.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitSettings>>((options, configured) =>
        {
            var settings = configured.Value;
            var window = TimeSpan.FromSeconds(Math.Max(1, settings.WindowSeconds));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // One chain for the whole app: each limiter counts only the requests it is about and lets every other one through.
            options.GlobalLimiter = new AttemptOnce(PartitionedRateLimiter.CreateChained(
                Limiter("sign-in address", settings.SignInPerAddress, window, c => IsSignInPost(c) ? Address(c) : null),
                Limiter("sign-in account", settings.SignInPerAccount, window, c => IsSignInPost(c) ? SignInEmail(c) : null),
                Limiter("api address", settings.ApiPerAddress, window, c => SecurityServices.IsApiRequest(c.Request) ? Address(c) : null),
                Limiter("api key", settings.ApiPerKey, window, c => SecurityServices.IsApiRequest(c.Request) ? PresentedKey(c) : null)), window);
            options.OnRejected = OnRejectedAsync;
        });
        return services;
    }

    /// <summary>Reads the sign-in form before the limiter needs its e-mail (MVC reuses the form already read).</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (IsSignInPost(context) && context.Request.HasFormContentType) await context.Request.ReadFormAsync(context.RequestAborted);
            await next(context);
        });
        app.UseRateLimiter();
        return app;
    }

    private static PartitionedRateLimiter<HttpContext> Limiter(string name, int permits, TimeSpan window, Func<HttpContext, string?> key) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => key(context) is { } partition && permits > 0
            ? RateLimitPartition.GetFixedWindowLimiter(name + ":" + partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter(""));

    private static bool IsSignInPost(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && string.Equals(context.Request.Path.Value?.TrimEnd('/'), SignInPath, StringComparison.OrdinalIgnoreCase);

    // The tests' in-memory server has no address: all its requests share one partition.
    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : IPAddress.None.ToString();

    private static string? SignInEmail(HttpContext context) =>
        context.Request.HasFormContentType && context.Request.Form[SignInField].ToString() is { Length: > 0 } email
            ? Account.NormaliseEmail(email)
            : null;

    private const string SignInField = $"{nameof(SignInModel.Data)}.{nameof(SignInModel.Command.Email)}";

    // Hashed: the limiter keeps its partition keys in memory, and a key is a secret.
    private static string? PresentedKey(HttpContext context) =>
        context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName].ToString() is { Length: > 0 } key ? ApiKey.HashOf(key) : null;

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        // A page gets the status page in the user's language (the status-code middleware); the API gets problem+json.
        if (!SecurityServices.IsApiRequest(context.Request)) return;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests",
                Detail = "This address or API key sent too many requests. Wait and try again (see Retry-After).",
            },
        });
    }

    /// <summary>
    /// Never queues: after a refused attempt the middleware asks again to wait, and with a chain that second ask would count the
    /// request once more against the limiters before the one that refused it.
    /// </summary>
    private sealed class AttemptOnce(PartitionedRateLimiter<HttpContext> inner, TimeSpan window) : PartitionedRateLimiter<HttpContext>
    {
        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => inner.GetStatistics(resource);

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) => inner.AttemptAcquire(resource, permitCount);

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult<RateLimitLease>(new Refused(window));

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>A refusal that says to come back after at most one window.</summary>
    private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
