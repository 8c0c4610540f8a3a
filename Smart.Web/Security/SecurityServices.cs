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
            // Partner systems and the API use the key; people in a browser use the cookie. The API never sees a redirect.
            .AddPolicyScheme(CookieOrApiKeyScheme, "Cookie or API key", options => options.ForwardDefaultSelector = context =>
                IsApiRequest(context.Request) || context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.LoginPath = "/Account/SignIn";
                options.LogoutPath = "/Account/SignOut";
                options.Cookie.Name = ".Smart.Intranet";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.EventsType = typeof(AccountCookieEvents);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
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
