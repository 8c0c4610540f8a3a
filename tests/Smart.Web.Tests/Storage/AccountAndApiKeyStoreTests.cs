using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Tests.Storage;

/// <summary>The account and API key stores' contract, run on both stores.</summary>
public abstract class AccountAndApiKeyStoreContract
{
    protected abstract Task<IAccountStore> AccountsAsync();
    protected abstract Task<IApiKeyStore> ApiKeysAsync();

    private static Account Someone(string email) => new(0, email, "Some One", "hash-1", ["staff"], ["be"]);

    [Fact]
    public async Task An_email_is_one_accounts_whatever_its_case_and_edits_are_checked_against_the_version_read()
    {
        var accounts = await AccountsAsync();
        var added = await accounts.AddAsync(Someone("Ann@Smart.Test"));
        Assert.NotNull(added);
        Assert.Null(await accounts.AddAsync(Someone("ann@smart.test ")));
        var found = (await accounts.FindByEmailAsync("ANN@smart.test"))!;
        Assert.Equal((added!.Id, "ann@smart.test", added.SecurityStamp), (found.Id, found.Email, found.SecurityStamp));
        Assert.Equal(["BE"], found.Countries);
        Assert.Equal(1, added.Version);
        Assert.NotEqual("", added.SecurityStamp);

        var renamed = await accounts.UpdateAsync(added with { DisplayName = "Ann", Email = "other@smart.test" }, expectedVersion: 1);
        Assert.True(renamed.Updated);
        Assert.Equal("ann@smart.test", renamed.Current!.Email);
        Assert.Equal(added.SecurityStamp, renamed.Current.SecurityStamp);
        Assert.Equal(UpdateStatus.ConcurrencyConflict, (await accounts.UpdateAsync(added with { DisplayName = "Stale" }, expectedVersion: 1)).Status);

        var newPassword = await accounts.UpdateAsync(renamed.Current with { PasswordHash = "hash-2" }, expectedVersion: 2);
        Assert.NotEqual(added.SecurityStamp, newPassword.Current!.SecurityStamp);
        Assert.Equal(UpdateStatus.NotFound, (await accounts.UpdateAsync(added with { Id = 999 }, 1)).Status);
    }

    [Fact]
    public async Task Sign_ins_and_stamps_change_the_account_but_not_the_version_an_edit_form_holds()
    {
        var accounts = await AccountsAsync();
        var added = (await accounts.AddAsync(Someone("bob@smart.test")))!;
        var lockedUntil = new DateTime(2026, 12, 2, 10, 15, 0, DateTimeKind.Utc);

        await accounts.RecordSignInAsync(added.Id, 0, lockedUntil);
        Assert.True(await accounts.RotateSecurityStampAsync(added.Id));
        Assert.False(await accounts.RotateSecurityStampAsync(999));

        var read = (await accounts.GetAsync(added.Id))!;
        Assert.Equal(lockedUntil, read.LockedUntilUtc);
        Assert.Equal(DateTimeKind.Utc, read.LockedUntilUtc!.Value.Kind);
        Assert.Equal(1, read.Version);
        Assert.NotEqual(added.SecurityStamp, read.SecurityStamp);
        Assert.Equal(["bob@smart.test"], (await accounts.ListAsync()).Select(a => a.Email));
    }

    [Fact]
    public async Task A_key_is_found_by_its_hash_until_and_after_it_is_revoked()
    {
        var keys = await ApiKeysAsync();
        var created = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
        var everywhere = new ApiKey(Guid.NewGuid(), "Partner", ApiKey.HashOf("secret-1"), null, created);
        var belgian = new ApiKey(Guid.NewGuid(), "Belgian partner", ApiKey.HashOf("secret-2"), ["BE"], created.AddHours(1));
        await keys.AddAsync(belgian);
        await keys.AddAsync(everywhere);

        Assert.Equal(everywhere, await keys.FindByHashAsync(ApiKey.HashOf("secret-1")));
        Assert.Null(await keys.FindByHashAsync(ApiKey.HashOf("unknown")));
        await keys.RevokeAsync(belgian.Id);

        Assert.True((await keys.FindByHashAsync(ApiKey.HashOf("secret-2")))!.Revoked);
        Assert.Equal(["Partner", "Belgian partner"], (await keys.ListAsync()).Select(k => k.Name));
        Assert.Equal(["BE"], (await keys.ListAsync())[1].Countries);
    }
}

[Trait("Store", "Chosen")]
public sealed class LiteDbAccountAndApiKeyStoreTests : AccountAndApiKeyStoreContract, IDisposable
{
    private readonly TemporaryStore store = new();

    protected override Task<IAccountStore> AccountsAsync() => Task.FromResult<IAccountStore>(new LiteDbAccountStore(store.Database));
    protected override Task<IApiKeyStore> ApiKeysAsync() => Task.FromResult<IApiKeyStore>(new LiteDbApiKeyStore(store.Database));

    public void Dispose() => store.Dispose();
}

[Trait("Store", "Chosen")]
public sealed class PostgreSqlAccountAndApiKeyStoreTests : AccountAndApiKeyStoreContract, IAsyncDisposable
{
    private PostgreSqlDirectory? database;

    private async Task<PostgreSqlDirectory> DatabaseAsync() => database ??= await PostgreSqlDirectory.OpenAsync();

    protected override async Task<IAccountStore> AccountsAsync() => new PostgreSqlAccountStore((await DatabaseAsync()).DataSource);
    protected override async Task<IApiKeyStore> ApiKeysAsync() => new PostgreSqlApiKeyStore((await DatabaseAsync()).DataSource);

    public async ValueTask DisposeAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
