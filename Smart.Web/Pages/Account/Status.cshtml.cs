using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Smart.Web.Pages.Account;

/// <summary>What a person sees for a refused or missing page (403, 404, 400…), rendered in place by the status-code middleware.</summary>
[AllowAnonymous, IgnoreAntiforgeryToken]
public class StatusModel : PageModel
{
    [FromRoute] public int Code { get; set; }

    public void OnGet() { }

    // The status page re-runs the refused request's method: a refused form is a POST.
    public void OnPost() { }
}
