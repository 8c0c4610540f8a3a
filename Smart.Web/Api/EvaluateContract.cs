using MediatR;
using Smart.Rules.Evaluation;
using Smart.Web.Hosting;
using Smart.Web.Security;

namespace Smart.Web.Api;

public static class EvaluateContract
{
    /// <param name="AsKnownOn">Evaluate with the rule-set versions published by then; null: those in force now.</param>
    public sealed record Command(ContractDocument Contract, DateTimeOffset? AsKnownOn = null) : IRequest<EvaluationReply<ContractEvaluation>>;

    public sealed class Handler(DocumentEvaluator evaluator, RuleBookInForce books, CurrentUser user, TimeProvider clock)
        : IRequestHandler<Command, EvaluationReply<ContractEvaluation>>
    {
        public Task<EvaluationReply<ContractEvaluation>> Handle(Command command, CancellationToken cancellationToken)
        {
            var contract = command.Contract;
            // A missing country is a bad field (400), reported by the evaluator; only a named country can be refused.
            if (contract.Country.Length > 0 && !user.MayUseCountry(contract.Country))
                return Task.FromResult(EvaluationReply<ContractEvaluation>.Refused(contract.Country));
            var outcome = (command.AsKnownOn is { } instant ? books.KnownOn(instant) : evaluator).EvaluateContract(contract);
            if (outcome.Value is { } value) outcome = Outcome<ContractEvaluation>.Success(value with { AsKnownOn = command.AsKnownOn ?? clock.GetUtcNow() });
            return Task.FromResult(EvaluationReply<ContractEvaluation>.Evaluated(outcome));
        }
    }
}
