using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Budget;
using Smart.Web.Localization;
using Smart.Web.Pages.Shared;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.ProductionUnits;

/// <summary>A unit's budget ledger: its entries with the running balance, a chart of it, its CSV, and the staff adjustment form.</summary>
public class LedgerModel(IMediator mediator, IStringLocalizerFactory localizers, TimeProvider clock) : PageModel
{
    /// <summary>Stable English column names and codes, as every export.</summary>
    public static readonly string[] Columns =
        ["Date", "Kind", "SourceKind", "SourceId", "SourceNumber", "Amount", "Balance", "Reserved", "Available", "GuaranteeAdvance", "WrittenBy", "Reason"];

    public Result Ledger { get; private set; } = null!;

    /// <summary>The adjustment form; a refused one shows its errors on its fields, on this page.</summary>
    [BindProperty] public Adjust Adjustment { get; set; } = new();

    public async Task OnGetAsync(int id)
    {
        Ledger = await mediator.Send(new Query(id));
        // A new token per form: the same form sent twice writes one adjustment.
        Adjustment = new Adjust { Token = RandomNumberGenerator.GetInt32(1, int.MaxValue), Date = DateOnly.FromDateTime(clock.GetLocalNow().DateTime) };
    }

    public async Task<IActionResult> OnGetCsvAsync(int id)
    {
        var data = await mediator.Send(new Query(id));
        return CsvExport.File($"ledger-unit-{id.ToString(CultureInfo.InvariantCulture)}", clock, Columns, data.Rows.ToAsyncEnumerable(), (csv, row) =>
        {
            var e = row.Entry;
            csv.WriteField(e.Date, "");
            csv.WriteField(e.Kind.ToString());
            csv.WriteField(e.SourceKind.ToString());
            csv.WriteField(e.SourceId, "");
            csv.WriteField(e.SourceNumber ?? "");
            csv.WriteField(e.Amount, "");
            csv.WriteField(row.Balance, "");
            csv.WriteField(row.Reserved, "");
            csv.WriteField(row.Balance - row.Reserved, "");
            csv.WriteField(row.Advance, "");
            csv.WriteField(e.WrittenBy);
            csv.WriteField(e.Reason ?? "");
        });
    }

    public async Task<IActionResult> OnPostAdjustAsync(int id)
    {
        Ledger = await mediator.Send(new Query(id));
        Adjustment.ProductionUnitId = id;
        await mediator.Send(Adjustment);
        TempData["Message"] = PageResources.For(typeof(LedgerModel), localizers)["Adjustment recorded."].Value;
        return RedirectToPage("Ledger", new { id });
    }

    public sealed record Query(int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    /// <summary>An entry with the unit's figures after it.</summary>
    public sealed record Row(LedgerEntry Entry, decimal Balance, decimal Reserved, decimal Advance);

    public sealed record Result(ProductionUnit Unit, IReadOnlyList<Row> Rows, LedgerTotals Totals, string Currency, int MinorUnit)
    {
        /// <summary>The running balance as an SVG polyline's points (600 × 160, the top is the highest balance), and where zero is.</summary>
        public (string Points, double ZeroY, decimal Low, decimal High) Chart()
        {
            const double width = 600, height = 160;
            if (Rows.Count == 0) return ("", height, 0m, 0m);
            var low = Math.Min(0m, Rows.Min(r => r.Balance));
            var high = Math.Max(0m, Rows.Max(r => r.Balance));
            var span = high == low ? 1m : high - low;
            double X(int i) => Rows.Count == 1 ? width : i * width / (Rows.Count - 1);
            double Y(decimal value) => (double)((high - value) / span) * height;
            // A step line: the balance holds until the next entry.
            var points = new List<string> { Point(0, Y(0m)) };
            for (var i = 0; i < Rows.Count; i++)
            {
                if (i > 0) points.Add(Point(X(i), Y(Rows[i - 1].Balance)));
                points.Add(Point(X(i), Y(Rows[i].Balance)));
            }
            return (string.Join(' ', points), Y(0m), low, high);
        }

        private static string Point(double x, double y) => string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}");
    }

    /// <summary>The unit must be one the user may see; another country's is not found, as on the unit's other pages.</summary>
    public sealed class Handler(IProductionUnitStore units, ILedgerStore ledger, CurrentUser user, PluginCatalog plugins) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var unit = await units.GetAsync(query.Id, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {query.Id}.");
            var rows = new List<Row>();
            var totals = LedgerTotals.None;
            foreach (var entry in await ledger.EntriesAsync(unit.Id, cancellationToken))
            {
                totals = totals.With(entry);
                rows.Add(new Row(entry, totals.Balance, totals.Reserved, totals.Advance));
            }
            var manifest = plugins.Find(unit.Country)?.Manifest;
            return new Result(unit, rows, totals, manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
        }
    }

    /// <summary>A staff correction of the balance: an amount (negative takes budget away) and the reason, which is required.</summary>
    public sealed class Adjust : IRequest<LedgerEntry>, IRequireRole
    {
        public int ProductionUnitId { get; set; }
        public int Token { get; set; }
        [Required, Display(Name = "Date")] public DateOnly? Date { get; set; }
        [Required, Display(Name = "Amount")] public decimal? Amount { get; set; }
        [Required, StringLength(500), Display(Name = "Reason")] public string? Reason { get; set; }

        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class AdjustHandler(IProductionUnitStore units, ILedgerStore ledger, CurrentUser user, TimeProvider clock, IStringLocalizerFactory localizers)
        : IRequestHandler<Adjust, LedgerEntry>
    {
        public async Task<LedgerEntry> Handle(Adjust command, CancellationToken cancellationToken)
        {
            var unit = await units.GetAsync(command.ProductionUnitId, cancellationToken);
            if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {command.ProductionUnitId}.");
            var texts = PageResources.For(typeof(LedgerModel), localizers);
            if (command.Amount == 0m)
                throw Behaviours.RequestValidationException.For<Adjust>(nameof(Adjust.Amount), texts["An adjustment moves the budget: give an amount other than zero."]);
            if (string.IsNullOrWhiteSpace(command.Reason))
                throw Behaviours.RequestValidationException.For<Adjust>(nameof(Adjust.Reason), texts["Say why the budget is adjusted."]);
            var token = command.Token > 0 ? command.Token : RandomNumberGenerator.GetInt32(1, int.MaxValue);
            var entry = LedgerRules.Adjustment(unit, command.Amount!.Value, command.Reason.Trim(), token, command.Date!.Value, new AuditActor(user.Email), clock.GetUtcNow().UtcDateTime);
            await ledger.AppendAsync([entry], cancellationToken);
            return entry;
        }
    }

    /// <summary>The English text of an entry's kind: the key of its translations.</summary>
    public static string KindText(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.OpeningBalance => "Opening balance",
        LedgerEntryKind.Adjustment => "Adjustment",
        LedgerEntryKind.InvoicePayment => "Invoice payment",
        LedgerEntryKind.CreditNote => "Credit note",
        LedgerEntryKind.ContractReservation => "Contract reservation",
        LedgerEntryKind.ReservationRelease => "Reservation released",
        LedgerEntryKind.SalaryPaid => "Salary paid",
        LedgerEntryKind.GuaranteeAdvance => "Guarantee advance",
        LedgerEntryKind.GuaranteeRecovery => "Guarantee recovered",
        LedgerEntryKind.GuaranteeWrittenOff => "Written off, borne by the guarantee",
        LedgerEntryKind.ExpenseClaim => "Expense claim",
        _ => kind.ToString(),
    };
}
