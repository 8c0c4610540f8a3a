using MediatR;
using Smart.Rules.Evaluation;
using Smart.Web.Hosting;
using Smart.Web.Security;

namespace Smart.Web.Api;

public static class EvaluateInvoice
{
    /// <param name="AsKnownOn">Evaluate with the rule-set versions published by then; null: those in force now.</param>
    public sealed record Command(InvoiceDocument Invoice, DateTimeOffset? AsKnownOn = null) : IRequest<EvaluationReply<InvoiceEvaluation>>;

    public sealed class Handler(DocumentEvaluator evaluator, RuleBookInForce books, CurrentUser user, TimeProvider clock)
        : IRequestHandler<Command, EvaluationReply<InvoiceEvaluation>>
    {
        public Task<EvaluationReply<InvoiceEvaluation>> Handle(Command command, CancellationToken cancellationToken)
        {
            var invoice = command.Invoice;
            // A missing country is a bad field (400), reported by the evaluator; only a named country can be refused.
            if (invoice.Country.Length > 0 && !user.MayUseCountry(invoice.Country))
                return Task.FromResult(EvaluationReply<InvoiceEvaluation>.Refused(invoice.Country));
            var outcome = (command.AsKnownOn is { } instant ? books.KnownOn(instant) : evaluator).EvaluateInvoice(invoice);
            if (outcome.Value is { } value) outcome = Outcome<InvoiceEvaluation>.Success(value with { AsKnownOn = command.AsKnownOn ?? clock.GetUtcNow() });
            return Task.FromResult(EvaluationReply<InvoiceEvaluation>.Evaluated(outcome));
        }
    }
}
