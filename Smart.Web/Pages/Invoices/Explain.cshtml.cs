using System.Globalization;
using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Smart.Rules.Evaluation;
using Smart.Rules.RuleSets;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Pages.Invoices;

/// <summary>Why a line is taxed as it is: the rule that fired, the values it read and their legal sources, from the stored trace.</summary>
public class ExplainModel(IMediator mediator) : PageModel
{
    public Result Explanation { get; private set; } = null!;

    public async Task OnGetAsync(int id, [FromQuery] int line) => Explanation = await mediator.Send(new Query(id, line));

    public sealed record Query(int Id, int Line) : IRequest<Result>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed record Result(Invoice Invoice, int Line, InvoiceLineItem Item, LineEvaluation Evaluation, IReadOnlyList<Step> Steps);

    /// <summary>One fired rule of the trace, with the rule set version that held it.</summary>
    public sealed record Step(string Ruleset, string? Version, string Rule, string Detail, string? RuleSource, IReadOnlyList<Value> Values);

    /// <summary>A value the rule read; a parameter of the rule set carries its legal source.</summary>
    public sealed record Value(string Name, string Text, string? Description, LegalSource? Source);

    public sealed class Handler(IInvoiceStore invoices, RuleBook book, CurrentUser user) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var invoice = await invoices.GetAsync(query.Id, cancellationToken);
            if (invoice is null || !user.CanSee(invoice.Country)) throw new NotFoundException($"No invoice {query.Id}.");
            if (invoice.Evaluation is not { } evaluation || query.Line < 0 || query.Line >= Math.Min(invoice.Lines.Count, evaluation.Lines.Count))
                throw new NotFoundException($"Invoice {query.Id} has no evaluated line {query.Line}.");
            var steps = evaluation.Trace.Where(t => t.Line == query.Line).Select(t => StepOf(t, evaluation, invoice.Date)).ToList();
            return new Result(invoice, query.Line, invoice.Lines[query.Line], evaluation.Lines[query.Line], steps);
        }

        private Step StepOf(TraceEntry entry, InvoiceEvaluation evaluation, DateOnly date)
        {
            var used = evaluation.Rulesets.FirstOrDefault(r => r.Id == entry.Ruleset);
            var set = book.Find(evaluation.Country, entry.Ruleset[(entry.Ruleset.IndexOf('/') + 1)..], date);
            var values = entry.Values.Select(v =>
            {
                var parameter = set?.File.Parameters.GetValueOrDefault(v.Key);
                var dated = parameter?.Values.Where(d => d.From <= date).MaxBy(d => d.From);
                return new Value(v.Key, TextOf(v.Value), parameter?.Description, dated?.Source ?? parameter?.Source);
            }).ToList();
            return new Step(entry.Ruleset, used?.Version, entry.Rule, entry.Detail, entry.Source, values);
        }

        private static string TextOf(object? value) => value switch
        {
            null => "",
            JsonElement { ValueKind: JsonValueKind.String } text => text.GetString() ?? "",
            JsonElement element => element.GetRawText(),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }
}
