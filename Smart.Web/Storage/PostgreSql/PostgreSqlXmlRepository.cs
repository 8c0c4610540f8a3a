using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Smart.Web.Storage.PostgreSql;

/// <summary>
/// The data-protection key ring in <c>data_protection_keys</c>: every instance on the database reads the same keys, so a sign-in cookie or
/// an anti-forgery token protected by one instance is unprotected by another. The key manager calls it synchronously.
/// </summary>
public sealed class PostgreSqlXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = dataSource.OpenConnection();
        return connection.Query<string>("select xml from data_protection_keys order by stored_at_utc, friendly_name").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = dataSource.OpenConnection();
        // A key's name is its id: two instances creating the first key at once each store their own, which is harmless (the ring holds both).
        connection.Execute("insert into data_protection_keys (friendly_name, xml) values (@friendlyName, @xml) on conflict (friendly_name) do nothing",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) });
    }
}
