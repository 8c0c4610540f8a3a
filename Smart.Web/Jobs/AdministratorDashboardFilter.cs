using Hangfire.Dashboard;
using Smart.Web.Security;

namespace Smart.Web.Jobs;

/// <summary>The Hangfire dashboard shows and retries jobs: administrators only, from their intranet cookie.</summary>
public sealed class AdministratorDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(SmartRoles.Administrator);
    }
}
