using Smart.Web.Storage;

namespace Smart.Web.Reminders;

/// <summary>The payment reminders sent and the reminder runs asked for.</summary>
public interface IReminderStore
{
    /// <summary>
    /// Records a reminder unless its invoice already has one for that step; true when this call recorded it. The check and the write
    /// are one insert on a unique key, so two runs at once, or a run repeated after a restart, record each step once.
    /// </summary>
    Task<bool> TryRecordAsync(PaymentReminder reminder, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PaymentReminder>> ForInvoiceAsync(int invoiceId, CancellationToken cancellationToken = default);

    /// <summary>Reminders of <paramref name="scope"/>'s countries, newest first.</summary>
    Task<SearchResult<PaymentReminder>> SearchAsync(CountryScope scope, int skip, int take, CancellationToken cancellationToken = default);

    /// <summary>Marks the run of <paramref name="day"/> as running (again, if it ran before).</summary>
    Task BeginRunAsync(DateOnly day, CancellationToken cancellationToken = default);

    Task FinishRunAsync(DateOnly day, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReminderRun>> UnfinishedRunsAsync(CancellationToken cancellationToken = default);
}
