using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Smart.Web.Security;

public static class SecurityServices
{
    public const string EvaluationApiPolicy = "EvaluationApi";
    public const string AdministratorPolicy = "Administrator";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string CookieOrApiKeyScheme = "CookieOrApiKey";

    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<AccountCookieEvents>();
        services.AddAuthentication(CookieOrApiKeyScheme)
            // Partner systems use the key, on /api only; people in a browser use the cookie. The path alone decides, so a key
            // never opens an intranet page (it answers the sign-in redirect) and the API never sees a redirect.
            .AddPolicyScheme(CookieOrApiKeyScheme, "Cookie or API key", options => options.ForwardDefaultSelector = context =>
                IsApiRequest(context.Request) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.LoginPath = "/Account/SignIn";
                options.LogoutPath = "/Account/SignOut";
                options.Cookie.Name = ".Smart.Intranet";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always; // SameAsRequest in Development, below
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.EventsType = typeof(AccountCookieEvents);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        // Development and the tests run on plain http (Kestrel on a free port); everywhere else the cookie needs https.
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IWebHostEnvironment>((options, environment) =>
        {
            if (environment.IsDevelopment()) options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(EvaluationApiPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser())
            .AddPolicy(AdministratorPolicy, policy => policy
                .AddAuthenticationSchemes(CookieScheme)
                .RequireRole(SmartRoles.Administrator))
            // Every endpoint is closed unless it says otherwise, so a forgotten attribute cannot open a page.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    public static bool IsApiRequest(HttpRequest request) => request.Path.StartsWithSegments("/api");
}
