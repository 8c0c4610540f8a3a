namespace Smart.Web.Storage;

/// <summary>The one place that says which invoice is overdue and what is left to pay on it, for the reminders and the home page.</summary>
public static class OverdueInvoices
{
    public static bool IsOverdue(Invoice invoice, DateOnly today) => invoice.StatusOn(today) == InvoiceStatus.Overdue && invoice.BalanceDue > 0m;

    public static int DaysLate(Invoice invoice, DateOnly today) => invoice.DueDate is { } due ? Math.Max(0, today.DayNumber - due.DayNumber) : 0;
}
