using Microsoft.AspNetCore.Identity;
using Smart.Web.Security;

namespace Smart.Web.Storage.Accounts;

/// <summary>One demo account per role on a store without accounts, as the README lists them; a store holding any account is left alone.</summary>
public sealed class AccountDemoSeed(IAccountStore accounts, IPasswordHasher<Account> hasher, ILogger<AccountDemoSeed> logger) : IHostedService
{
    /// <summary>Public on purpose: printed in the README for trying the intranet locally.</summary>
    public const string DemoPassword = "Demo-2026!";

    public static IReadOnlyList<(string Email, string DisplayName, string Role, string[] Countries)> DemoAccounts { get; } =
    [
        ("admin@smart.coop", "Ada Administrator", SmartRoles.Administrator, []),
        ("staff@smart.coop", "Sam Staff", SmartRoles.Staff, []),
        ("partner.fr@smart.coop", "Françoise Partenaire", SmartRoles.PartnerAdmin, ["FR"]),
        ("partner.it@smart.coop", "Paolo Partner", SmartRoles.PartnerAdmin, ["IT"]),
        ("compliance@smart.coop", "Chloé Compliance", SmartRoles.ComplianceOfficer, []),
        ("approver@smart.coop", "Arne Approver", SmartRoles.Approver, []),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((await accounts.ListAsync(cancellationToken)).Count > 0) return;
        foreach (var (email, name, role, countries) in DemoAccounts)
        {
            var account = new Account(0, email, name, "", [role], countries);
            await accounts.AddAsync(account with { PasswordHash = hasher.HashPassword(account, DemoPassword) }, cancellationToken);
        }
        logger.LogInformation("Seeded {Count} demo accounts (password in the README)", DemoAccounts.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
