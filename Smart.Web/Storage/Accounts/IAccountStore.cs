namespace Smart.Web.Storage.Accounts;

/// <summary>The intranet's accounts; e-mails are unique, compared in lower case.</summary>
public interface IAccountStore
{
    Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);
    Task<Account?> GetAsync(int id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new account and returns it with its id and version 1; null when another account has this e-mail.</summary>
    Task<Account?> AddAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the account if its stored version is still <paramref name="expectedVersion"/>; the e-mail and the security stamp are not
    /// changed, except that a new password hash gets a new stamp (every open session ends).
    /// </summary>
    Task<UpdateOutcome<Account>> UpdateAsync(Account account, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Records the outcome of a sign-in (failure count and lock) without touching the version an edit form holds.</summary>
    Task RecordSignInAsync(int id, int failedSignIns, DateTime? lockedUntilUtc, CancellationToken cancellationToken = default);

    /// <summary>Gives the account a new security stamp, so every cookie issued to it before is refused; false when there is no such account.</summary>
    Task<bool> RotateSecurityStampAsync(int id, CancellationToken cancellationToken = default);
}
