using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Pages.Clients;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Pages.Invoices;

/// <summary>One row of the invoice form; a row with neither description nor price is left out.</summary>
public sealed class LineFields
{
    [StringLength(300)] public string? Description { get; set; }
    public string? Category { get; set; }
    [Display(Name = "Quantity")] public decimal? Quantity { get; set; }
    [Display(Name = "Unit price")] public decimal? UnitPrice { get; set; }
    /// <summary>The kind of work, kept for an author-rights line only: Belgian and Dutch VAT treat kinds apart.</summary>
    [StringLength(40)] public string? WorkKind { get; set; }
    /// <summary>Where a performance or a training is given, when not in the production unit's country.</summary>
    [StringLength(2)] public string? PerformedIn { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Description) && string.IsNullOrWhiteSpace(Category) && UnitPrice is null;
}

/// <summary>The fields of a draft invoice, shared by the create and edit forms.</summary>
public abstract class InvoiceFields
{
    /// <summary>The empty rows a new form starts with; "Add line" adds more, empty ones are ignored.</summary>
    public const int LineRows = 5;

    /// <summary>The most lines one invoice takes: a longer list is refused on the lines, never bound and evaluated at any length.</summary>
    public const int MaxLines = 200;

    [Required, Display(Name = "Production unit")] public int? ProductionUnitId { get; set; }
    [Required(ErrorMessage = "Choose a client."), Display(Name = "Client")] public int? ClientId { get; set; }
    [Required, StringLength(60), Display(Name = "Issuing entity")] public string Issuer { get; set; } = "";
    [Required, Display(Name = "Date")] public DateOnly? Date { get; set; }
    [Display(Name = "Due date")] public DateOnly? DueDate { get; set; }
    [Required, StringLength(40), Display(Name = "Service level")] public string ServiceLevel { get; set; } = "standard";
    public List<LineFields> Lines { get; set; } = [];

    /// <summary>Pads the lines to the form's rows.</summary>
    public void PadLines()
    {
        while (Lines.Count < LineRows) Lines.Add(new LineFields());
    }

    /// <summary>One more empty row (the form's "Add line" without JavaScript); none past <see cref="MaxLines"/>.</summary>
    public bool AddLine()
    {
        if (Lines.Count >= MaxLines) return false;
        Lines.Add(new LineFields());
        return true;
    }

    /// <summary>Drops the row <paramref name="row"/>; the rows after it move up one, as the form renumbers them.</summary>
    public void RemoveLine(int row)
    {
        if (row >= 0 && row < Lines.Count) Lines.RemoveAt(row);
        if (Lines.Count == 0) Lines.Add(new LineFields());
    }

    public void CopyFrom(Invoice invoice)
    {
        (ProductionUnitId, ClientId, Issuer, Date, DueDate, ServiceLevel) =
            (invoice.ProductionUnitId, invoice.ClientId, invoice.Issuer, invoice.Date, invoice.DueDate, invoice.ServiceLevel);
        Lines = invoice.Lines.Select(l => new LineFields
        {
            Description = l.Description, Category = l.Category, Quantity = l.Quantity, UnitPrice = l.UnitPrice, WorkKind = l.WorkKind, PerformedIn = l.PerformedIn,
        }).ToList();
        PadLines();
    }

    /// <summary>The rows that hold a line, with their row number on the form (evaluation errors name the line's index among these).</summary>
    public IReadOnlyList<(int Row, InvoiceLineItem Line)> FilledLines() =>
        Lines.Select((l, row) => (l, row)).Where(x => !x.l.IsEmpty)
            .Select(x => (x.row, Item(x.l)))
            .ToList();

    private static InvoiceLineItem Item(LineFields line)
    {
        var category = line.Category?.Trim() ?? "";
        return new InvoiceLineItem(line.Description?.Trim() ?? "", category, line.Quantity ?? 1m, line.UnitPrice ?? 0m)
        {
            // A kind of work left on a row switched to another category means nothing: only author rights carry one.
            WorkKind = category == Categories.AuthorRights && !string.IsNullOrWhiteSpace(line.WorkKind) ? line.WorkKind.Trim() : null,
            PerformedIn = string.IsNullOrWhiteSpace(line.PerformedIn) ? null : line.PerformedIn.Trim().ToUpperInvariant(),
        };
    }
}

/// <summary>
/// The invoice form's "Add line" and "Remove" without JavaScript: the page renders the form again with the row added or dropped, nothing sent
/// or saved. A removal renumbers the rows, so the values posted under the old numbers are dropped and the form shows the fields' new values.
/// </summary>
public static class InvoiceLineButtons
{
    public static IActionResult AddLine(this PageModel page, InvoiceFields fields, string prefix, IStringLocalizerFactory localizers)
    {
        // The values typed stay as posted (an unreadable number too); only the errors of fields nobody was asked to finish yet go.
        foreach (var entry in page.ModelState.Values) entry.Errors.Clear();
        if (!fields.AddLine())
            page.ModelState.AddModelError(prefix + nameof(InvoiceFields.Lines),
                PageResources.For(typeof(InvoiceFields), localizers)["An invoice has at most {0} lines.", InvoiceFields.MaxLines]);
        return page.Page();
    }

    public static IActionResult RemoveLine(this PageModel page, InvoiceFields fields, int row)
    {
        fields.RemoveLine(row);
        page.ModelState.Clear();
        return page.Page();
    }
}

/// <summary>Evaluates a draft as it will be stored: from the stored client, and the author rights of the production unit's member.</summary>
public sealed partial class InvoiceEvaluations(IProductionUnitStore units, IClientStore clients, IMemberStore members, DocumentEvaluator evaluator,
    CurrentUser user, IStringLocalizerFactory localizers, IInvoiceStore invoices, TimeProvider clock, PluginCatalog plugins, InvoiceInputs inputs)
{
    /// <summary>The member whose author rights an invoice of this production unit counts towards.</summary>
    public async Task<int?> MemberIdAsync(int productionUnitId, CancellationToken cancellationToken) =>
        (await units.GetAsync(productionUnitId, cancellationToken))?.MemberId;

    /// <summary>
    /// A member's income of a calendar year: the issued invoices' less credit notes (the part of author rights above a share cap counted as
    /// professional income), kept per year so a new year starts from nothing; for the current year, plus the figures on the member record
    /// (income entered by staff, from outside the issued invoices).
    /// </summary>
    public async Task<MemberIncome> YearToDateAsync(Member member, int year, CancellationToken cancellationToken) =>
        EvaluationInputs.YearToDate(member, year, await invoices.IncomeIssuedAsync(member.Id, year, cancellationToken),
            DateOnly.FromDateTime(clock.GetLocalNow().DateTime));

    /// <summary>The member's year-to-date, this invoice's author-rights net and the country's ceiling on the day; null where there is no ceiling or no member.</summary>
    public async Task<AuthorRightsCeilingCheck?> CeilingCheckAsync(int productionUnitId, DateOnly date, decimal thisInvoice, CancellationToken cancellationToken = default)
    {
        var unit = await units.GetAsync(productionUnitId, cancellationToken);
        if (unit is null || !user.CanSee(unit.Country) || evaluator.AuthorRightsCeiling(unit.Country, date) is not { } ceiling || ceiling <= 0) return null;
        if (await members.GetAsync(unit.MemberId, cancellationToken) is not { } member) return null;
        var manifest = plugins.Find(unit.Country)?.Manifest;
        return new AuthorRightsCeilingCheck(member.Name, (await YearToDateAsync(member, date.Year, cancellationToken)).AuthorRights, thisInvoice, ceiling,
            manifest?.Currency ?? "EUR", manifest?.MinorUnit ?? 2);
    }

    /// <summary>
    /// The draft built from the form, evaluated; a unit or client the user may not see is a 404, a client of another country or any
    /// evaluation error is thrown as field errors of <typeparamref name="TRequest"/>, never a 500.
    /// </summary>
    public async Task<Invoice> DraftAsync<TRequest>(InvoiceFields fields, Invoice? stored, CancellationToken cancellationToken)
    {
        var unit = await units.GetAsync(fields.ProductionUnitId!.Value, cancellationToken);
        if (unit is null || !user.CanSee(unit.Country)) throw new NotFoundException($"No production unit {fields.ProductionUnitId}.");
        if (stored is not null && stored.ProductionUnitId != unit.Id)
            throw RequestValidationException.For<TRequest>(nameof(InvoiceFields.ProductionUnitId), Text("A draft stays with its production unit."));
        var client = await clients.GetAsync(fields.ClientId!.Value, cancellationToken);
        if (client is null || client.Country != unit.Country)
            throw RequestValidationException.For<TRequest>(nameof(InvoiceFields.ClientId), Text("Choose a client of the production unit's country."));
        if (fields.Lines.Count > InvoiceFields.MaxLines)
            throw RequestValidationException.For<TRequest>(nameof(InvoiceFields.Lines), Text("An invoice has at most {0} lines.", InvoiceFields.MaxLines));
        var filled = fields.FilledLines();
        if (filled.Count == 0)
            throw RequestValidationException.For<TRequest>("Lines[0].Description", Text("An invoice needs at least one line."));
        var draft = new Invoice
        {
            Id = stored?.Id ?? 0, Country = unit.Country, ProductionUnitId = unit.Id, ClientId = client.Id, Issuer = fields.Issuer.Trim(),
            Date = fields.Date!.Value, DueDate = fields.DueDate, ServiceLevel = fields.ServiceLevel.Trim(), Lines = filled.Select(f => f.Line).ToList(),
        };
        var outcome = await EvaluateAsync(draft, cancellationToken);
        if (outcome.Value is null)
            throw new RequestValidationException(typeof(TRequest), FormErrors(outcome, filled.Select(f => f.Row).ToList()));
        return draft with { Evaluation = outcome.Value };
    }

    /// <summary>The stored invoice evaluated again on today's rules and figures (for issuing).</summary>
    public Task<Outcome<InvoiceEvaluation>> ReevaluateAsync(Invoice invoice, CancellationToken cancellationToken) => EvaluateAsync(invoice, cancellationToken);

    /// <summary>The input as re-evaluation and simulation read it (<see cref="InvoiceInputs"/>), so a save computes what they compute.</summary>
    private async Task<Outcome<InvoiceEvaluation>> EvaluateAsync(Invoice invoice, CancellationToken cancellationToken)
    {
        await inputs.LoadAsync([invoice], cancellationToken);
        if (inputs.Document(invoice) is not { } document)
            return Outcome<InvoiceEvaluation>.Invalid(new Dictionary<string, string[]> { [""] = [Text("The invoice's production unit or client no longer exists.")] });
        var outcome = evaluator.EvaluateInvoice(document);
        // Stored with its knowledge date: the rule-set versions it names were those in force at this instant.
        return outcome.Value is { } evaluation ? Outcome<InvoiceEvaluation>.Success(evaluation with { AsKnownOn = clock.GetUtcNow() }) : outcome;
    }

    /// <summary>The evaluator's API field names (<c>lines[0].category</c>, <c>client.vatNumber</c>) as the form's fields.</summary>
    public static Dictionary<string, string[]> FormErrors(Outcome<InvoiceEvaluation> outcome, IReadOnlyList<int> rows)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, messages) in outcome.Errors.Concat(outcome.NotCovered))
        {
            var key = FormField(field, rows);
            errors[key] = errors.TryGetValue(key, out var earlier) ? [.. earlier, .. messages] : messages;
        }
        return errors;
    }

    private static string FormField(string field, IReadOnlyList<int> rows)
    {
        if (LineField().Match(field) is { Success: true } line)
        {
            var index = int.Parse(line.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var row = index < rows.Count ? rows[index] : index;
            var part = line.Groups[2].Value;
            return part.Length == 0 ? $"Lines[{row}].Category" : $"Lines[{row}].{char.ToUpperInvariant(part[0])}{part[1..]}";
        }
        return field switch
        {
            _ when field.StartsWith("client", StringComparison.Ordinal) => nameof(InvoiceFields.ClientId),
            "issuer" => nameof(InvoiceFields.Issuer),
            "serviceLevel" => nameof(InvoiceFields.ServiceLevel),
            "date" => nameof(InvoiceFields.Date),
            "dueDate" => nameof(InvoiceFields.DueDate),
            _ => "",
        };
    }

    [GeneratedRegex(@"^lines\[(\d+)\]\.?(\w*)$")]
    private static partial Regex LineField();

    private string Text(string text, params object[] arguments) => PageResources.For(typeof(InvoiceFields), localizers)[text, arguments];
}

/// <summary>Where a member stands against the annual author-rights ceiling with one more invoice.</summary>
public sealed record AuthorRightsCeilingCheck(string Member, decimal YearToDate, decimal ThisInvoice, decimal Ceiling, string Currency, int MinorUnit)
{
    public bool Crosses => YearToDate + ThisInvoice > Ceiling;
}

/// <summary>The issuing entities of a country, with the training body to propose for training lines.</summary>
public static class InvoiceIssuers
{
    public static IReadOnlyList<IssuingEntity> Of(PluginCatalog plugins, string? country) =>
        country is null ? [] : plugins.Find(country)?.Manifest.Issuers ?? [];

    public static IssuingEntity? TrainingBody(PluginCatalog plugins, string? country) =>
        Of(plugins, country).FirstOrDefault(i => i.RecognisedTrainingBody);
}
