using Smart.Web.Storage;
using Smart.Web.Storage.Contracts;
using Smart.Web.Storage.ExpenseClaims;

namespace Smart.Web.Tests.Domain;

/// <summary>The rules of contracts (salary guarantee, re-evaluation, budget) and expense claims (decision, budget), without a store.</summary>
public class ContractAndClaimRulesTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    private static Contract Confirmed(DateOnly start, int days = 1, DateOnly? end = null) => new()
    {
        Id = 3, Country = "BE", ProductionUnitId = 1, MemberId = 1, StartDate = start, EndDate = end, Days = days, Hours = 8m * days,
        JobCategory = "artist", Budget = 800m, Status = ContractStatus.Confirmed, Version = 2,
    };

    [Fact]
    public void A_salary_is_due_the_day_after_the_last_day_of_work()
    {
        var contract = Confirmed(Today.AddDays(-3), days: 3);
        Assert.Equal(Today.AddDays(-1), contract.LastWorkDay);
        Assert.False(contract.IsSalaryDueOn(Today.AddDays(-1)));
        Assert.True(contract.IsSalaryDueOn(Today));
        Assert.Equal(Today.AddDays(5), Confirmed(Today, days: 2, end: Today.AddDays(5)).LastWorkDay);
        Assert.Equal(Today, Confirmed(Today, days: 0).LastWorkDay);
    }

    [Theory]
    [InlineData(ContractStatus.Draft)]
    [InlineData(ContractStatus.Cancelled)]
    public void Only_a_confirmed_contract_has_its_salary_paid(ContractStatus status)
    {
        var contract = Confirmed(Today.AddDays(-10)) with { Status = status };
        Assert.False(contract.CanPaySalary);
        Assert.False(contract.IsSalaryDueOn(Today));
    }

    [Fact]
    public void A_paid_salary_closes_the_contract()
    {
        var paid = Confirmed(Today.AddDays(-10)).PaySalary(Today);
        Assert.Equal(Today, paid.SalaryPaidOn);
        Assert.False(paid.CanPaySalary);
        Assert.False(paid.IsSalaryDueOn(Today.AddDays(1)));
        Assert.False(paid.CanBeReevaluated([ContractStatus.Confirmed], 2));
    }

    [Fact]
    public void A_reevaluation_touches_only_the_statuses_asked_at_the_version_read()
    {
        var contract = Confirmed(Today);
        Assert.True(contract.CanBeReevaluated([ContractStatus.Draft, ContractStatus.Confirmed], 2));
        Assert.False(contract.CanBeReevaluated([ContractStatus.Draft], 2));
        Assert.False(contract.CanBeReevaluated([ContractStatus.Confirmed], 1));
    }

    [Fact]
    public void A_contract_fits_the_budget_up_to_the_cent_and_a_cancelled_one_always()
    {
        var contract = Confirmed(Today);
        Assert.True(contract.FitsBudget(800m));
        Assert.False(contract.FitsBudget(799.99m));
        Assert.True((contract with { Status = ContractStatus.Cancelled }).FitsBudget(0m));
    }

    private static ExpenseClaim Submitted() => new()
    {
        Id = 5, Country = "BE", ProductionUnitId = 1, MemberId = 1, Date = Today, Category = "travel", Amount = 121m, Version = 1,
    };

    [Fact]
    public void A_claim_is_decided_once_on_the_version_seen()
    {
        var claim = Submitted();
        Assert.True(claim.CanBeDecided(1));
        Assert.False(claim.CanBeDecided(2));
        var at = new DateTime(2026, 6, 15, 9, 0, 0, DateTimeKind.Utc);
        var refused = claim.Decide(ExpenseClaimStatus.Refused, "no receipt", "staff@smart.coop", at)!;
        Assert.Equal((ExpenseClaimStatus.Refused, "no receipt", "staff@smart.coop", (DateTime?)at), (refused.Status, refused.RefusalReason, refused.DecidedBy, refused.DecidedAt));
        Assert.False((refused with { Version = 1 }).CanBeDecided(1));
        Assert.Null(claim.Decide(ExpenseClaimStatus.Approved, "kept?", "staff@smart.coop", at)!.RefusalReason);
        Assert.Null(claim.Decide(ExpenseClaimStatus.Submitted, null, "staff@smart.coop", at));
    }

    [Fact]
    public void Only_the_step_from_submitted_to_approved_spends_the_budget()
    {
        var claim = Submitted();
        var approved = claim with { Status = ExpenseClaimStatus.Approved };
        Assert.True(ExpenseClaim.IsApproval(claim, approved));
        Assert.False(ExpenseClaim.IsApproval(null, approved));
        Assert.False(ExpenseClaim.IsApproval(approved, approved));
        Assert.False(ExpenseClaim.IsApproval(claim, claim with { Status = ExpenseClaimStatus.Refused }));
    }

    [Fact]
    public void A_claim_fits_the_budget_when_its_charge_to_the_unit_does()
    {
        var claim = Submitted().WithEvaluation(new Smart.Rules.Evaluation.ExpenseEvaluation
        {
            Country = "BE", Currency = "EUR", Date = Today, Category = "travel", Kind = "receipt", Amount = 121m, Vat = 21m, DeductibleShare = 1m,
            RecoverableVat = 21m, Reimbursed = 121m, Charged = 100m, Mentions = [], Rulesets = [], Trace = [], Unconfirmed = [],
        });
        Assert.True(claim.FitsBudget(100m));
        Assert.False(claim.FitsBudget(99.99m));
    }

    [Fact]
    public void A_claim_without_an_evaluation_charges_nothing_and_fits_any_budget()
    {
        Assert.True(Submitted().FitsBudget(0m));
        Assert.False(Submitted().FitsBudget(-0.01m));
    }
}
