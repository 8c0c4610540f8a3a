using System.Collections;
using System.Reflection;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Budget;
using Smart.Web.Reevaluation;
using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Tests.Storage;

/// <summary>Alone: LiteDB's cache of compiled expressions is one per process, and another class's first queries would add to it meanwhile.</summary>
[CollectionDefinition(nameof(CompiledExpressionTests), DisableParallelization = true)]
public sealed class CompiledExpressionCollection;

/// <summary>
/// The LiteDB stores pass a query's values as parameters: LiteDB compiles each distinct expression text once and keeps it for the life of
/// the process, so a value written into the text (LiteDB's <c>Query.EQ</c>, <c>Query.In</c>...) cost a compilation per id, unit or page
/// read, and memory that was never given back (<see cref="StoredFilter"/>).
/// </summary>
[Collection(nameof(CompiledExpressionTests))]
[Trait("Store", "Chosen")]
public sealed class CompiledExpressionTests
{
    [Fact]
    public async Task Reading_by_other_ids_units_and_pages_compiles_no_new_expression()
    {
        using var app = SmartWebFactory.WithSettings(new Dictionary<string, string>(SmartWebFactory.DemoDocuments) { ["Smart:Storage"] = "LiteDb" });
        var services = app.Services;
        var contracts = services.GetRequiredService<IContractStore>();
        var invoices = services.GetRequiredService<IInvoiceStore>();
        var members = services.GetRequiredService<IMemberStore>();
        var units = services.GetRequiredService<IProductionUnitStore>();
        var ledger = services.GetRequiredService<ILedgerStore>();
        var contractIds = (await contracts.SearchAsync(new ContractQuery(CountryScope.All) { Take = 100 })).Rows.Select(c => c.Id).ToList();
        var invoiceRows = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.All) { Take = 100 })).Rows;
        var unitIds = invoiceRows.Select(i => i.ProductionUnitId).Distinct().ToList();
        var memberIds = (await members.SearchAsync(new MemberQuery(CountryScope.All) { Take = 100 })).Rows.Select(m => m.Id).ToList();
        const int reads = 12;
        Assert.True(contractIds.Count >= 4 && invoiceRows.Count >= reads && unitIds.Count >= 4 && memberIds.Count >= reads,
            $"the demo seeds enough documents to read by different values ({contractIds.Count} contracts, {invoiceRows.Count} invoices, {unitIds.Count} units, {memberIds.Count} members)");

        async Task ReadAsync(int i)
        {
            var contract = contractIds[i % contractIds.Count];
            var unit = unitIds[i % unitIds.Count];
            await contracts.GetAsync(contract);
            await contracts.AfterAsync(null, ReevaluateDocuments.ContractStatuses, contract, 3);
            await contracts.SearchAsync(new ContractQuery(CountryScope.All) { ProductionUnitId = unit });
            await ledger.ReservedByAsync(LedgerSource.Contract, contract);
            await ledger.TotalsAsync(unit);
            await ledger.EntriesAsync(unit);
            await invoices.GetAsync(invoiceRows[i].Id);
            await invoices.DraftsAfterAsync(null, invoiceRows[i].Id, 3);
            await invoices.SearchAsync(new InvoiceQuery(CountryScope.All) { ProductionUnitId = unit });
            await invoices.SearchAsync(new InvoiceQuery(CountryScope.All) { Skip = i, Take = 5 });
            await members.GetManyAsync(memberIds.Skip(i).Take(3).ToList());
            await units.SearchAsync(new ProductionUnitQuery(CountryScope.All) { MemberId = memberIds[i] });
        }

        // The first reads compile each expression once.
        await ReadAsync(0);
        await ReadAsync(1);
        var compiled = Compiled();
        for (var i = 2; i < reads; i++) await ReadAsync(i);

        Assert.Empty(Compiled().Except(compiled));
    }

    /// <summary>The texts LiteDB has compiled in this process (its private caches, concurrent dictionaries whose keys are a snapshot; LiteDB 5 keeps no count of them).</summary>
    private static HashSet<string> Compiled()
    {
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { "_cacheScalar", "_cacheEnumerable" })
        {
            var cache = typeof(BsonExpression).GetField(name, BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as IDictionary
                ?? throw new InvalidOperationException($"LiteDB's BsonExpression no longer has its {name} cache: this test must read it another way.");
            texts.UnionWith(cache.Keys.Cast<string>());
        }
        return texts;
    }
}
