using Dapper;
using Npgsql;
using Smart.Web.Storage.PostgreSql;

namespace Smart.Web.Storage.Accounts;

/// <summary>The accounts in <c>accounts</c>; the e-mail (lower case) is unique by the table's own constraint.</summary>
public sealed class PostgreSqlAccountStore(NpgsqlDataSource dataSource) : IAccountStore
{
    private const string Select = "select id, version, document::text as document from accounts";

    public async Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} where email = @email", new { email = Account.NormaliseEmail(email) }, cancellationToken)).FirstOrDefault();

    public async Task<Account?> GetAsync(int id, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"{Select} where id = @id", new { id }, cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"{Select} order by email collate \"C\"", null, cancellationToken);

    public async Task<Account?> AddAsync(Account account, CancellationToken cancellationToken = default)
    {
        var added = Normalised(account with { Id = 0, Version = 1, SecurityStamp = Account.NewSecurityStamp() });
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The unique e-mail decides between two adds at once: the second inserts nothing and is told so.
        var id = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "insert into accounts (email, version, document) values (@Email, 1, @Document::jsonb) on conflict (email) do nothing returning id",
            new { added.Email, Document = PostgreSqlJson.Write(added) }, cancellationToken: cancellationToken));
        return id is { } stored ? added with { Id = stored } : null;
    }

    public Task<UpdateOutcome<Account>> UpdateAsync(Account account, int expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeAsync(account.Id, stored =>
        {
            if (stored.Version != expectedVersion) return null;
            var stamp = account.PasswordHash == stored.PasswordHash ? stored.SecurityStamp : Account.NewSecurityStamp();
            return account with { Email = stored.Email, Version = stored.Version + 1, SecurityStamp = stamp };
        }, cancellationToken);

    public Task RecordSignInAsync(int id, int failedSignIns, DateTime? lockedUntilUtc, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, stored => stored with { FailedSignIns = failedSignIns, LockedUntilUtc = lockedUntilUtc }, cancellationToken);

    public async Task<bool> RotateSecurityStampAsync(int id, CancellationToken cancellationToken = default) =>
        (await ChangeAsync(id, stored => stored with { SecurityStamp = Account.NewSecurityStamp() }, cancellationToken)).Status != UpdateStatus.NotFound;

    /// <summary>Reads the account under a row lock and writes what <paramref name="change"/> makes of it; null leaves it, a conflict.</summary>
    private async Task<UpdateOutcome<Account>> ChangeAsync(int id, Func<Account, Account?> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if ((await QueryAsync(connection, transaction, $"{Select} where id = @id for update", new { id }, cancellationToken)).FirstOrDefault() is not { } stored)
            return UpdateOutcome<Account>.Missing;
        if (change(stored) is not { } changed) return UpdateOutcome<Account>.Conflict(stored);
        var updated = Normalised(changed with { Id = stored.Id });
        await connection.ExecuteAsync(new CommandDefinition("update accounts set version = @Version, document = @Document::jsonb where id = @Id",
            new { updated.Id, updated.Version, Document = PostgreSqlJson.Write(updated) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return UpdateOutcome<Account>.Saved(updated);
    }

    private static Account Normalised(Account account) => account with
    {
        Email = Account.NormaliseEmail(account.Email),
        Countries = account.Countries.Select(CountryCode.Normalise).ToList(),
        LockedUntilUtc = account.LockedUntilUtc is { } until ? DateTime.SpecifyKind(until.ToUniversalTime(), DateTimeKind.Utc) : null,
    };

    private async Task<List<Account>> QueryAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await QueryAsync(connection, null, sql, parameters, cancellationToken);
    }

    private static async Task<List<Account>> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object? parameters,
        CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(int Id, int Version, string Document)>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)))
            .Select(row => PostgreSqlJson.Read<Account>(row.Document) with { Id = row.Id, Version = row.Version }).ToList();
}
