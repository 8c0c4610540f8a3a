using MediatR;
using Smart.Rules.RuleSets;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Reminders;

/// <summary>
/// Sends the reminders due on a day: for each overdue invoice, the late-payment terms of its country in force on its due date give
/// the schedule (a step is due <c>ReminderDays[k]</c> days after the due date), the interest rate and the flat compensation.
/// Sending is recording the reminder on the invoice; e-mailing the client is not built yet.
/// </summary>
public static class SendPaymentReminders
{
    public sealed record Command(DateOnly Today) : IRequest<Result>;

    /// <param name="Overdue">Overdue invoices seen.</param>
    /// <param name="Sent">Reminders recorded by this run; a step already recorded (by an earlier or a concurrent run) is not counted.</param>
    /// <param name="WithoutTerms">Overdue invoices whose country has no late-payment rule set on their due date.</param>
    public sealed record Result(int Overdue, int Sent, int WithoutTerms);

    public sealed class Handler(IInvoiceStore invoices, IReminderStore reminders, RuleBook rules) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            var today = command.Today;
            int overdue = 0, sent = 0, withoutTerms = 0;
            await foreach (var invoice in invoices.PastDueAsync(CountryScope.All, today, cancellationToken))
            {
                if (!invoice.IsOverdueOn(today)) continue;
                overdue++;
                var due = invoice.DueDate!.Value;
                // The issued evaluation was made with the due date, so its terms are those of the rule set in force on that day.
                var terms = rules.Find(invoice.Country, Topics.LatePayment, due) is null ? null : invoice.Evaluation?.LatePayment;
                if (terms is null)
                {
                    withoutTerms++;
                    continue;
                }
                var daysLate = invoice.DaysLateOn(today);
                var outstanding = invoice.BalanceDue;
                for (var k = 0; k < terms.ReminderDays.Count && daysLate >= terms.ReminderDays[k]; k++)
                {
                    var reminder = new PaymentReminder
                    {
                        InvoiceId = invoice.Id, InvoiceNumber = invoice.Number, Country = invoice.Country, Currency = invoice.Evaluation!.Currency,
                        Step = k + 1, DueDate = due, SentOn = today, DaysLate = daysLate, Outstanding = outstanding, InterestRate = terms.InterestRate,
                        Interest = Math.Round(outstanding * terms.InterestRate * daysLate / 365m, 2, MidpointRounding.AwayFromZero),
                        // The rule set gives no flat compensation for a consumer; for a business it is owed once per late payment.
                        FlatCompensation = k == 0 ? terms.FlatCompensation : 0m,
                    };
                    if (await reminders.TryRecordAsync(reminder, cancellationToken)) sent++;
                }
            }
            return new Result(overdue, sent, withoutTerms);
        }
    }
}
