namespace Smart.Web.Storage.Accounts;

/// <summary>
/// A person who signs in to the intranet, by e-mail. <see cref="Countries"/> empty means every country (staff,
/// administrators); a partner administrator has exactly one. <see cref="Version"/> counts the administrator's
/// edits, so a stale edit form is refused; sign-in attempts do not change it. <see cref="SecurityStamp"/> is copied into each
/// sign-in cookie and changes on sign-out and on a new password, so every cookie issued before no longer opens a page.
/// </summary>
public sealed record Account(
    int Id,
    string Email,
    string DisplayName,
    string PasswordHash,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Countries,
    int FailedSignIns = 0,
    DateTime? LockedUntilUtc = null,
    int Version = 1,
    string SecurityStamp = "")
{
    // Five tries per quarter hour limits online guessing to about 480 passwords a day while a user who mistyped is soon back.
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public bool IsLockedAt(DateTime nowUtc) => LockedUntilUtc is { } until && until > nowUtc;

    /// <summary>The account after one more wrong password: the fifth in a row locks it and starts the count again.</summary>
    public Account AfterFailedSignIn(DateTime nowUtc)
    {
        var failed = FailedSignIns + 1;
        return failed >= MaxFailedSignIns
            ? this with { FailedSignIns = 0, LockedUntilUtc = nowUtc + LockoutDuration }
            : this with { FailedSignIns = failed, LockedUntilUtc = null };
    }

    public Account AfterSuccessfulSignIn() => this with { FailedSignIns = 0, LockedUntilUtc = null };

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();
}
