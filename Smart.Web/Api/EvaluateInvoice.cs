using MediatR;
using Smart.Rules.Evaluation;
using Smart.Web.Security;

namespace Smart.Web.Api;

public static class EvaluateInvoice
{
    public sealed record Command(InvoiceDocument Invoice) : IRequest<EvaluationReply<InvoiceEvaluation>>;

    public sealed class Handler(DocumentEvaluator evaluator, CurrentUser user) : IRequestHandler<Command, EvaluationReply<InvoiceEvaluation>>
    {
        public Task<EvaluationReply<InvoiceEvaluation>> Handle(Command command, CancellationToken cancellationToken)
        {
            var invoice = command.Invoice;
            // A missing country is a bad field (400), reported by the evaluator; only a named country can be refused.
            if (invoice.Country.Length > 0 && !user.MayUseCountry(invoice.Country))
                return Task.FromResult(EvaluationReply<InvoiceEvaluation>.Refused(invoice.Country));
            return Task.FromResult(EvaluationReply<InvoiceEvaluation>.Evaluated(evaluator.EvaluateInvoice(invoice)));
        }
    }
}
