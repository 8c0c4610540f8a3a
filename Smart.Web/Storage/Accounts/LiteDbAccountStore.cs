using LiteDB;

namespace Smart.Web.Storage.Accounts;

public sealed class LiteDbAccountStore : IAccountStore
{
    private readonly ILiteCollection<AccountDocument> accounts;
    private readonly Lock edits = new();

    public LiteDbAccountStore(LiteDatabase database)
    {
        accounts = database.GetCollection<AccountDocument>("accounts");
        accounts.EnsureIndex(a => a.Email, unique: true);
    }

    public Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalised = Account.NormaliseEmail(email);
        return Task.FromResult(accounts.FindOne(a => a.Email == normalised)?.ToAccount());
    }

    public Task<Account?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        Task.FromResult(accounts.FindById(id)?.ToAccount());

    public Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Account>>(accounts.FindAll().Select(a => a.ToAccount()).OrderBy(a => a.Email, StringComparer.Ordinal).ToList());

    public Task<Account?> AddAsync(Account account, CancellationToken cancellationToken = default)
    {
        var document = AccountDocument.From(account with { Id = 0, Version = 1, SecurityStamp = Account.NewSecurityStamp() });
        lock (edits)
        {
            if (accounts.Exists(a => a.Email == document.Email)) return Task.FromResult<Account?>(null);
            accounts.Insert(document);
        }
        return Task.FromResult<Account?>(document.ToAccount());
    }

    public Task<UpdateOutcome<Account>> UpdateAsync(Account account, int expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (edits)
        {
            if (accounts.FindById(account.Id) is not { } stored) return Task.FromResult(UpdateOutcome<Account>.Missing);
            if (stored.Version != expectedVersion) return Task.FromResult(UpdateOutcome<Account>.Conflict(stored.ToAccount()));
            var stamp = account.PasswordHash == stored.PasswordHash ? stored.SecurityStamp : Account.NewSecurityStamp();
            var updated = AccountDocument.From(account with { Email = stored.Email, Version = stored.Version + 1, SecurityStamp = stamp });
            accounts.Update(updated);
            return Task.FromResult(UpdateOutcome<Account>.Saved(updated.ToAccount()));
        }
    }

    public Task RecordSignInAsync(int id, int failedSignIns, DateTime? lockedUntilUtc, CancellationToken cancellationToken = default)
    {
        lock (edits)
        {
            if (accounts.FindById(id) is { } stored)
            {
                stored.FailedSignIns = failedSignIns;
                stored.LockedUntilUtc = lockedUntilUtc;
                accounts.Update(stored);
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> RotateSecurityStampAsync(int id, CancellationToken cancellationToken = default)
    {
        lock (edits)
        {
            if (accounts.FindById(id) is not { } stored) return Task.FromResult(false);
            stored.SecurityStamp = Account.NewSecurityStamp();
            accounts.Update(stored);
        }
        return Task.FromResult(true);
    }

    /// <summary>Every account as stored, password hash and security stamp included (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<Account> All() => accounts.FindAll().Select(d => d.ToAccount());

    /// <summary>The stored shape, kept apart from <see cref="Account"/> so the record can change without migrating the file.</summary>
    private sealed class AccountDocument
    {
        [BsonId(autoId: true)] public int Id { get; set; }
        public string Email { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string PasswordHash { get; set; } = "";
        public List<string> Roles { get; set; } = [];
        public List<string> Countries { get; set; } = [];
        public int FailedSignIns { get; set; }
        public DateTime? LockedUntilUtc { get; set; }
        public int Version { get; set; }
        public string SecurityStamp { get; set; } = "";

        public static AccountDocument From(Account account) => new()
        {
            Id = account.Id, Email = Account.NormaliseEmail(account.Email), DisplayName = account.DisplayName,
            PasswordHash = account.PasswordHash, Roles = account.Roles.ToList(),
            Countries = account.Countries.Select(CountryCode.Normalise).ToList(),
            FailedSignIns = account.FailedSignIns, LockedUntilUtc = account.LockedUntilUtc, Version = account.Version,
            SecurityStamp = account.SecurityStamp,
        };

        public Account ToAccount() => new(Id, Email, DisplayName, PasswordHash, Roles, Countries, FailedSignIns,
            LockedUntilUtc?.ToUniversalTime(), Version, SecurityStamp ?? ""); // LiteDB hands dates back in local time, and "" as null
    }
}
