using System.Collections;
using System.Globalization;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Evaluation;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Localization;
using Smart.Web.Reevaluation;
using Smart.Web.Security;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

using Smart.Web.SinceIssue;

namespace Smart.Web.Pages.Rules.Simulations;

/// <summary>
/// One document of a simulation with its two traces side by side: the book in force and the simulated draft, each rule with its parameter
/// values and result. The traces are not stored: the document is evaluated again, with explanation, when the page is asked for.
/// </summary>
public class DocumentModel(IMediator mediator) : PageModel
{
    public Result Document { get; private set; } = null!;

    public async Task OnGetAsync(int simulationId, [FromQuery] string? kind, [FromQuery] int id) =>
        Document = await mediator.Send(new Query(simulationId, kind ?? "", id));

    public sealed record Query(int SimulationId, string Kind, int Id) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => RuleSetAccess.Readers;
    }

    /// <summary>One book's view of the document: its figures (or why it could not evaluate it) and its trace.</summary>
    public sealed record Side(DocumentFigures Figures, IReadOnlyList<TraceEntry> Trace, IReadOnlyList<RuleSetUsed> RuleSets);

    public sealed record Result(ImpactSimulation Simulation, string Kind, int DocumentId, string? Number, DateOnly Date, string Status, bool WouldChange,
        string Currency, Side Before, Side? After, IReadOnlyList<string> DraftProblems)
    {
        /// <summary>Since issue: when the stored evaluation (the before side) was made.</summary>
        public DateTime? BeforeKnownOn { get; init; }

        public bool IsContract => Kind == SimulateImpact.Kinds.Contract;

        /// <summary>A trace entry the other side does not have as it is (another rule fired, or with other values).</summary>
        public bool Differs(TraceEntry entry, Side? other) => other is null || !other.Trace.Any(o => KeyOf(o) == KeyOf(entry));

        private static string KeyOf(TraceEntry e) =>
            $"{e.Ruleset}|{e.Rule}|{e.Line}|{e.Detail}|{string.Join(";", e.Values.Select(v => $"{v.Key}={Invariant(v.Value)}"))}";
    }

    /// <summary>A trace value as text in the given culture; lists are written item by item.</summary>
    public static string Format(object? value, IFormatProvider culture) => value switch
    {
        null => "—",
        string text => text,
        IFormattable formattable => formattable.ToString(null, culture),
        IEnumerable items => "[" + string.Join("; ", items.Cast<object?>().Select(i => Format(i, culture))) + "]",
        _ => value.ToString() ?? "",
    };

    public static string Invariant(object? value) => Format(value, CultureInfo.InvariantCulture);

    public sealed class Handler(ISimulationStore simulations, IInvoiceStore invoices, IContractStore contracts, IClientStore clients, IProductionUnitStore units,
        IMemberStore members, RuleBookInForce rules, CurrentUser user, TimeProvider clock, IStringLocalizerFactory localizers, SinceIssue.IssuedEvaluations issued)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var simulation = await DetailsModel.VisibleAsync(simulations, user, query.SimulationId, cancellationToken);
            if (simulation.Mode == SimulationMode.SinceIssue) return await SinceIssueAsync(simulation, query, cancellationToken);
            var books = SimulateImpact.BooksFor(rules.Book, simulation);
            var texts = PageResources.For(typeof(DocumentModel), localizers);
            var problems = books.Check.Problems.Select(texts.Place).ToList();
            var currency = simulation.Currency ?? "EUR";
            switch (query.Kind)
            {
                case SimulateImpact.Kinds.Invoice:
                {
                    var invoice = await invoices.GetAsync(query.Id, cancellationToken);
                    if (invoice is null || invoice.Country != simulation.Country || !user.CanSee(invoice.Country)) throw NotFound(query);
                    var unit = await units.GetAsync(invoice.ProductionUnitId, cancellationToken);
                    var client = await clients.GetAsync(invoice.ClientId, cancellationToken);
                    if (unit is null || client is null) throw NotFound(query);
                    var member = await members.GetAsync(unit.MemberId, cancellationToken);
                    var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
                    // A credit note as the simulation evaluates it: the invoice of its lines on its original's date, its figures negative.
                    var evaluated = invoice.IsCreditNote
                        ? SimulateImpact.AsCreditedInvoice(invoice, (await invoices.GetAsync(invoice.CreditNoteForId!.Value, cancellationToken))?.Date ?? invoice.Date)
                        : invoice;
                    var yearToDate = member is null ? MemberIncome.None
                        : EvaluationInputs.YearToDate(member, evaluated.Date.Year, await invoices.IncomeIssuedAsync(member.Id, evaluated.Date.Year, cancellationToken), today);
                    var document = EvaluationInputs.Invoice(evaluated, client, member, yearToDate);
                    return new(simulation, query.Kind, invoice.Id, invoice.Number, invoice.Date, invoice.Status.ToString(), invoice.Status == InvoiceStatus.Draft, currency,
                        SideOf(books.InForce.EvaluateInvoice(document), invoice.IsCreditNote),
                        books.Draft is { } draft ? SideOf(draft.EvaluateInvoice(document), invoice.IsCreditNote) : null, problems);
                }
                case SimulateImpact.Kinds.Contract:
                {
                    var contract = await contracts.GetAsync(query.Id, cancellationToken);
                    if (contract is null || contract.Country != simulation.Country || !user.CanSee(contract.Country)) throw NotFound(query);
                    var document = EvaluationInputs.Contract(contract);
                    return new(simulation, query.Kind, contract.Id, null, contract.StartDate, contract.Status.ToString(),
                        ReevaluateDocuments.ContractStatuses.Contains(contract.Status), currency,
                        SideOf(books.InForce.EvaluateContract(document)), books.Draft is { } draft ? SideOf(draft.EvaluateContract(document)) : null, problems);
                }
                default:
                    throw NotFound(query);
            }
        }

        /// <summary>Since issue: the stored evaluation with its trace, beside the invoice evaluated now as the comparison did, explained.</summary>
        private async Task<Result> SinceIssueAsync(ImpactSimulation simulation, Query query, CancellationToken cancellationToken)
        {
            var invoice = query.Kind == SimulateImpact.Kinds.Invoice ? await invoices.GetAsync(query.Id, cancellationToken) : null;
            if (invoice?.Evaluation is not { } stored || invoice.Status == InvoiceStatus.Draft || invoice.Country != simulation.Country || !user.CanSee(invoice.Country))
                throw NotFound(query);
            var evaluated = (await issued.AsEvaluatedAsync([invoice], cancellationToken))[invoice.Id];
            if (issued.Document(evaluated, stored) is not { } document) throw NotFound(query);
            var now = issued.DueNow(invoice, document, explain: true);
            return new(simulation, query.Kind, invoice.Id, invoice.Number, invoice.Date, invoice.Status.ToString(), false, stored.Currency,
                new Side(SimulateImpact.Figures(stored), stored.Trace, stored.Rulesets),
                now.Value is { } due ? new Side(SimulateImpact.Figures(due), due.Trace, due.Rulesets) : new Side(SimulateImpact.Figures(now), [], []), [])
            {
                BeforeKnownOn = SinceIssue.IssuedEvaluations.KnownOn(stored),
            };
        }

        private static NotFoundException NotFound(Query query) => new($"No {query.Kind} {query.Id} in impact simulation {query.SimulationId}.");

        private static Side SideOf(Outcome<InvoiceEvaluation> outcome, bool negated) => outcome.Value is { } e
            ? new(SimulateImpact.Figures(negated ? e.Negated() : e), e.Trace, e.Rulesets)
            : new(new(0m, 0m, 0m, 0m, 0m, Error: Describe(outcome)), [], []);

        private static Side SideOf(Outcome<ContractEvaluation> outcome) => outcome.Value is { } e
            ? new(SimulateImpact.Figures(e), e.Trace, e.Rulesets)
            : new(new(0m, 0m, 0m, 0m, 0m, Error: Describe(outcome)), [], []);

        private static string Describe<T>(Outcome<T> outcome) where T : class =>
            string.Join("; ", outcome.Errors.Concat(outcome.NotCovered).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }
}
