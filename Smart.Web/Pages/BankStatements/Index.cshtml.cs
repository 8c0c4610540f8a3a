using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.BankStatements;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.BankStatements;

/// <summary>Bank statements: import a CODA or camt.053 file, see the latest imports and how many received payments wait for a person.</summary>
public class IndexModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Import Data { get; set; } = new();

    public Result Latest { get; private set; } = null!;

    public async Task OnGetAsync() => Latest = await mediator.Send(new Query());

    public async Task<IActionResult> OnPostAsync()
    {
        Latest = await mediator.Send(new Query());
        var imported = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(IndexModel), localizers)[
            "Statement imported: {0} payments recorded, {1} waiting for a person, {2} outgoing, {3} already imported before.",
            imported.Matched, imported.Waiting, imported.Outgoing, imported.Statement.AlreadyImported].Value;
        return RedirectToPage("Details", new { id = imported.Statement.Id });
    }

    public sealed class Query : IRequest<Result>, IRequireRole
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(IReadOnlyList<string> Countries, IReadOnlyList<BankStatement> Statements, int Waiting);

    public sealed class Handler(IBankStatementStore statements, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var scope = CountryScope.Of(user);
            return new Result(user.VisibleCountries, await statements.LatestAsync(scope, 50, cancellationToken),
                (await statements.WaitingAsync(scope, cancellationToken)).Count);
        }
    }

    /// <summary>A statement file of one country's account, to record the payments it brings in.</summary>
    public sealed class Import : IRequest<Imported>, IRequireRole, ICountryScoped
    {
        [Required, Display(Name = "Country")] public string? Country { get; set; }
        [Display(Name = "Statement file")] public IFormFile? File { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed record Imported(BankStatement Statement, int Matched, int Waiting, int Outgoing);

    /// <summary>
    /// Reads the file, skips the movements an earlier import recorded, records a payment for each movement matched to an invoice, and
    /// stores the statement with every new line. A payment carries its movement's key as reference, so an import cut short and run again
    /// never pays an invoice twice: the invoice already holds that reference.
    /// </summary>
    public sealed class ImportHandler(IBankStatementStore statements, IInvoiceStore invoices, IClientStore clients, PluginCatalog plugins, CurrentUser user,
        TimeProvider clock, IStringLocalizerFactory localizers) : IRequestHandler<Import, Imported>
    {
        public const long MaxBytes = 10 * 1024 * 1024;

        public async Task<Imported> Handle(Import import, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(IndexModel), localizers);
            static RequestValidationException Refuse(string field, string message) => RequestValidationException.For<Import>(field, message);
            var country = CountryCode.Normalise(import.Country!);
            if (plugins.Find(country) is not { } plugin) throw Refuse(nameof(Import.Country), texts["Choose one of your countries."]);
            if (import.File is not { Length: > 0 } file) throw Refuse(nameof(Import.File), texts["Choose the statement file (CODA or camt.053)."]);
            if (file.Length > MaxBytes) throw Refuse(nameof(Import.File), texts["The file is larger than {0} MB.", MaxBytes / (1024 * 1024)]);

            StatementFile statement;
            using (var buffer = new MemoryStream((int)file.Length))
            {
                await file.CopyToAsync(buffer, cancellationToken);
                try { statement = StatementFile.Read(buffer.ToArray()); }
                catch (StatementFormatException e) { throw Refuse(nameof(Import.File), texts["The statement could not be read: {0}", e.Message]); }
            }
            if (!string.Equals(statement.Currency, plugin.Manifest.Currency, StringComparison.OrdinalIgnoreCase))
                throw Refuse(nameof(Import.File), texts["This is a statement in {0}; the invoices of {1} are in {2}.", statement.Currency, country, plugin.Manifest.Currency]);

            var known = await statements.KnownAsync([.. statement.Movements.Select(m => m.Key)], cancellationToken);
            var matching = await PaymentMatching.ForAsync(country, invoices, clients, plugins, cancellationToken);
            var actor = new AuditActor(user.Email);
            var lines = new List<StatementLine>();
            foreach (var movement in statement.Movements.Where(m => !known.Contains(m.Key)).DistinctBy(m => m.Key))
            {
                var line = new StatementLine
                {
                    Key = movement.Key, Country = country, Date = movement.Date, Amount = movement.Amount, Currency = movement.Currency, Reference = movement.Reference,
                    Communication = movement.Communication, CounterpartyName = movement.CounterpartyName, CounterpartyAccount = movement.CounterpartyAccount,
                };
                if (movement.Amount <= 0m)
                {
                    lines.Add(line with { Status = StatementLineStatus.Outgoing });
                    continue;
                }
                var match = matching.Match(movement);
                if (match.Rule is { } rule && match.Invoice is { } invoice && await PaidAsync(invoice, movement, actor, cancellationToken))
                    lines.Add(line with { Status = StatementLineStatus.Matched, InvoiceId = invoice.Id, InvoiceNumber = invoice.Number, MatchedBy = rule });
                else
                    lines.Add(line with
                    {
                        Status = StatementLineStatus.Waiting,
                        Waiting = match.Waiting ?? WaitingReason.NoMatch,
                        InvoiceId = match.Invoice?.Id,
                        InvoiceNumber = match.Invoice?.Number
                    });
            }

            var stored = await statements.AddAsync(new BankStatement
            {
                Country = country, Format = statement.Format, FileName = Path.GetFileName(file.FileName), Account = statement.Account, Currency = statement.Currency,
                Number = statement.Number, Date = statement.Date, OpeningBalance = statement.OpeningBalance, ClosingBalance = statement.ClosingBalance,
                ImportedBy = user.Email, ImportedAtUtc = clock.GetUtcNow().UtcDateTime, AlreadyImported = statement.Movements.Count - lines.Count,
            }, lines, cancellationToken);
            return new Imported(stored, lines.Count(l => l.Status == StatementLineStatus.Matched), lines.Count(l => l.Status == StatementLineStatus.Waiting),
                lines.Count(l => l.Status == StatementLineStatus.Outgoing));
        }

        /// <summary>Records the movement as a payment of the invoice, unless the invoice holds it already (an earlier import cut short).</summary>
        private async Task<bool> PaidAsync(Invoice invoice, StatementMovement movement, AuditActor actor, CancellationToken cancellationToken)
        {
            var current = await invoices.GetAsync(invoice.Id, cancellationToken);
            if (current is null) return false;
            if (current.Payments.Any(p => p.Reference == movement.Key)) return true;
            if (!current.CanPay(movement.Amount)) return false;
            var saved = await invoices.RecordPaymentAsync(invoice.Id, new InvoicePayment(movement.Date, movement.Amount, movement.Key), actor, cancellationToken);
            return saved.Updated;
        }
    }
}
