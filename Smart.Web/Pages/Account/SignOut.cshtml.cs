using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Web.Security;

namespace Smart.Web.Pages.Account;

/// <summary>Signs out on POST only, so a link or an image on another site cannot sign a user out.</summary>
public class SignOutModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SecurityServices.CookieScheme);
        return RedirectToPage("/Account/SignIn");
    }
}
