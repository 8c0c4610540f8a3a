using LiteDB;
using Smart.Web.BankStatements;
using Smart.Web.Corrections;
using Smart.Web.Budget;
using Smart.Web.EInvoicing;
using Smart.Web.Reevaluation;
using Smart.Web.Reminders;
using Smart.Web.Simulations;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Storage.MoveUp;

/// <summary>
/// A LiteDB data directory opened with every store over it, for the move to read (its copy and its comparison): one owner of the file,
/// each store built once, the ones keeping rows in memory disposed with it.
/// </summary>
public sealed class LiteDbSource : IDisposable
{
    private readonly LiteDbFile file;

    public LiteDbSource(string dataDirectory)
    {
        file = new LiteDbFile(dataDirectory, TimeSpan.FromSeconds(2));
        var clock = TimeProvider.System;
        Audit = new LiteDbAuditLog(Database);
        Ledger = new LiteDbLedgerStore(Database, clock);
        Members = new LiteDbMemberStore(Database, Audit, clock);
        Units = new LiteDbProductionUnitStore(Database, Audit, clock, Ledger);
        Clients = new LiteDbClientStore(Database, Audit, clock);
        Invoices = new LiteDbInvoiceStore(Database, Audit, clock, Ledger);
        Contracts = new LiteDbContractStore(Database, Audit, clock, Ledger);
        Claims = new LiteDbExpenseClaimStore(Database, Audit, clock, Ledger);
        Accounts = new LiteDbAccountStore(Database);
        ApiKeys = new LiteDbApiKeyStore(Database);
        RuleSets = new LiteDbRuleSetStore(Database, Audit, clock);
        Outbox = new LiteDbOutboxStore(Database);
        Reminders = new LiteDbReminderStore(Database, clock);
        Reevaluations = new LiteDbReevaluationStore(Database);
        Simulations = new LiteDbSimulationStore(Database);
        Statements = new LiteDbBankStatementStore(Database);
        Corrections = new LiteDbCorrectionStore(Database);
    }

    public string Path => file.Path;
    public LiteDatabase Database => file.Database;
    public LiteDbAuditLog Audit { get; }
    public LiteDbLedgerStore Ledger { get; }
    public LiteDbMemberStore Members { get; }
    public LiteDbProductionUnitStore Units { get; }
    public LiteDbClientStore Clients { get; }
    public LiteDbInvoiceStore Invoices { get; }
    public LiteDbContractStore Contracts { get; }
    public LiteDbExpenseClaimStore Claims { get; }
    public LiteDbAccountStore Accounts { get; }
    public LiteDbApiKeyStore ApiKeys { get; }
    public LiteDbRuleSetStore RuleSets { get; }
    public LiteDbOutboxStore Outbox { get; }
    public LiteDbReminderStore Reminders { get; }
    public LiteDbReevaluationStore Reevaluations { get; }
    public LiteDbSimulationStore Simulations { get; }
    public LiteDbBankStatementStore Statements { get; }
    public LiteDbCorrectionStore Corrections { get; }

    public void Dispose()
    {
        Invoices.Dispose();
        Clients.Dispose();
        Units.Dispose();
        Members.Dispose();
        file.Dispose();
    }
}
