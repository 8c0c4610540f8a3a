namespace Smart.Web.Reminders;

/// <summary>
/// A reminder sent for an overdue invoice: one per invoice and step of the country's late-payment schedule, never two.
/// Step 1 is the first reminder. Interest is the statutory interest accrued up to <see cref="SentOn"/> at the rate in force on the due date.
/// </summary>
public sealed record PaymentReminder
{
    public int InvoiceId { get; init; }
    public string? InvoiceNumber { get; init; }
    public required string Country { get; init; }
    public required string Currency { get; init; }
    public int Step { get; init; }
    public DateOnly DueDate { get; init; }
    public DateOnly SentOn { get; init; }
    public int DaysLate { get; init; }
    public decimal Outstanding { get; init; }
    public decimal InterestRate { get; init; }
    public decimal Interest { get; init; }
    /// <summary>The flat recovery compensation, on the first reminder of an invoice to a business or public client only.</summary>
    public decimal FlatCompensation { get; init; }
}

public enum ReminderRunStatus
{
    Running,
    Done,
}

/// <summary>The intent of one day's reminder run, written before the job is queued, so a restart can queue it again.</summary>
public sealed record ReminderRun(DateOnly Day, ReminderRunStatus Status);
