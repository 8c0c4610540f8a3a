using MediatR;
using Smart.Rules.Evaluation;
using Smart.Web.Security;

namespace Smart.Web.Api;

public static class EvaluateContract
{
    public sealed record Command(ContractDocument Contract) : IRequest<EvaluationReply<ContractEvaluation>>;

    public sealed class Handler(DocumentEvaluator evaluator, CurrentUser user) : IRequestHandler<Command, EvaluationReply<ContractEvaluation>>
    {
        public Task<EvaluationReply<ContractEvaluation>> Handle(Command command, CancellationToken cancellationToken)
        {
            var contract = command.Contract;
            // A missing country is a bad field (400), reported by the evaluator; only a named country can be refused.
            if (contract.Country.Length > 0 && !user.MayUseCountry(contract.Country))
                return Task.FromResult(EvaluationReply<ContractEvaluation>.Refused(contract.Country));
            return Task.FromResult(EvaluationReply<ContractEvaluation>.Evaluated(evaluator.EvaluateContract(contract)));
        }
    }
}
