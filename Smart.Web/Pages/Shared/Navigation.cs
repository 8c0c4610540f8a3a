using Microsoft.AspNetCore.Mvc;
using Smart.Web.Security;

namespace Smart.Web.Pages.Shared;

/// <summary>
/// The top bar's links. A link shows when the user holds one of its roles and its page exists, so a feature's link
/// appears once its Index page is added; the roles are the lists its requests declare, so menus and handlers agree.
/// </summary>
public static class Navigation
{
    public sealed record Item(string Page, string Title, IReadOnlyList<string> Roles);

    public static IReadOnlyList<Item> Items { get; } =
    [
        new("/Members/Index", "Members", SmartRoles.MemberWork),
        new("/ProductionUnits/Index", "Production units", SmartRoles.MemberWork),
        new("/Clients/Index", "Clients", SmartRoles.MemberWork),
        new("/Contracts/Index", "Contracts", SmartRoles.MemberWork),
        new("/Invoices/Index", "Invoices", SmartRoles.MemberWork),
        new("/BankStatements/Index", "Bank statements", SmartRoles.MemberWork),
        new("/ExpenseClaims/Index", "Expense claims", SmartRoles.MemberWork),
        new("/Guarantee/Index", "Salary guarantee", SmartRoles.MemberWork),
        new("/Rules/Index", "Rules", Rules.RuleSetAccess.Readers),
        new("/Reevaluation/Index", "Re-evaluation", SmartRoles.ReevaluationWork),
        new("/Admin/Accounts/Index", "Accounts", SmartRoles.Administrators),
    ];

    public static IEnumerable<(Item Item, string Url)> VisibleTo(CurrentUser user, IUrlHelper url) =>
        from item in Items
        where user.IsInAnyRole(item.Roles)
        let href = url.Page(item.Page)
        where href is not null
        select (item, href);
}
