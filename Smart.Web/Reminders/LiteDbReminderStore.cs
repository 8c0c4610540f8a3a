using System.Globalization;
using LiteDB;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.Reminders;

/// <summary>
/// Reminders keyed by invoice and step: LiteDB refuses a second document with the same id, which is what makes recording idempotent.
/// A PostgreSQL store would do the same with a primary key on (invoice_id, step) and INSERT … ON CONFLICT DO NOTHING.
/// </summary>
public sealed class LiteDbReminderStore : IReminderStore
{
    private readonly ILiteCollection<StoredReminder> reminders;
    private readonly ILiteCollection<StoredRun> runs;
    private readonly TimeProvider clock;

    public LiteDbReminderStore(LiteDatabase database, TimeProvider clock)
    {
        this.clock = clock;
        reminders = database.GetCollection<StoredReminder>("reminders");
        runs = database.GetCollection<StoredRun>("reminderRuns");
        reminders.EnsureIndex(r => r.InvoiceId);
        reminders.EnsureIndex(r => r.Country);
        reminders.EnsureIndex(r => r.SentOn);
        runs.EnsureIndex(r => r.Status);
    }

    public static string KeyOf(int invoiceId, int step) => $"{invoiceId.ToString(CultureInfo.InvariantCulture)}-{step.ToString(CultureInfo.InvariantCulture)}";

    public Task<bool> TryRecordAsync(PaymentReminder reminder, CancellationToken cancellationToken = default)
    {
        try
        {
            reminders.Insert(StoredReminder.From(reminder, clock.GetUtcNow().UtcDateTime));
            return Task.FromResult(true);
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return Task.FromResult(false);
        }
    }

    public Task<IReadOnlyList<PaymentReminder>> ForInvoiceAsync(int invoiceId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PaymentReminder>>(reminders.Find(r => r.InvoiceId == invoiceId).OrderBy(r => r.Step).Select(r => r.ToReminder()).ToList());

    public Task<SearchResult<PaymentReminder>> SearchAsync(CountryScope scope, int skip, int take, CancellationToken cancellationToken = default)
    {
        if (scope.Countries is { Count: 0 }) return Task.FromResult(SearchResult<PaymentReminder>.Empty);
        var query = reminders.Query();
        if (scope.Countries is { } countries) query = query.Where(StoredFilter.In("Country", countries.Select(c => new BsonValue(c))));
        var total = query.Count();
        var rows = query.OrderByDescending("$.RecordedAt").Skip(Math.Max(0, skip)).Limit(Math.Clamp(take, 0, 1000)).ToEnumerable().Select(r => r.ToReminder()).ToList();
        return Task.FromResult(new SearchResult<PaymentReminder>(rows, total));
    }

    public Task BeginRunAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        runs.Upsert(new StoredRun { Id = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Day = day.ToStored(), Status = ReminderRunStatus.Running });
        return Task.CompletedTask;
    }

    public Task FinishRunAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        runs.Upsert(new StoredRun { Id = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Day = day.ToStored(), Status = ReminderRunStatus.Done });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ReminderRun>> UnfinishedRunsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReminderRun>>(runs.Find(r => r.Status == ReminderRunStatus.Running)
            .Select(r => new ReminderRun(r.Day.ToDate(), r.Status)).OrderBy(r => r.Day).ToList());

    /// <summary>Every reminder and when it was recorded (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<(PaymentReminder Reminder, DateTime RecordedAt)> All() => reminders.FindAll().Select(r => (r.ToReminder(), r.RecordedAt));

    /// <summary>Every daily run (the move to PostgreSQL, Storage/MoveUp).</summary>
    internal IEnumerable<ReminderRun> Runs() => runs.FindAll().Select(r => new ReminderRun(r.Day.ToDate(), r.Status));

    private sealed class StoredRun
    {
        /// <summary>The day, 2026-11-23: one run per day.</summary>
        public string Id { get; set; } = "";
        public DateTime Day { get; set; }
        public ReminderRunStatus Status { get; set; }
    }

    private sealed class StoredReminder
    {
        /// <summary>Invoice id and step, 42-1: the unique key that refuses a second reminder for a step.</summary>
        public string Id { get; set; } = "";
        public int InvoiceId { get; set; }
        public string? InvoiceNumber { get; set; }
        public string Country { get; set; } = "";
        public string Currency { get; set; } = "";
        public int Step { get; set; }
        public DateTime DueDate { get; set; }
        public DateTime SentOn { get; set; }
        public int DaysLate { get; set; }
        public decimal Outstanding { get; set; }
        public decimal InterestRate { get; set; }
        public decimal Interest { get; set; }
        public decimal FlatCompensation { get; set; }
        public DateTime RecordedAt { get; set; }

        public static StoredReminder From(PaymentReminder r, DateTime recordedAt) => new()
        {
            Id = KeyOf(r.InvoiceId, r.Step), InvoiceId = r.InvoiceId, InvoiceNumber = r.InvoiceNumber, Country = r.Country, Currency = r.Currency,
            Step = r.Step, DueDate = r.DueDate.ToStored(), SentOn = r.SentOn.ToStored(), DaysLate = r.DaysLate, Outstanding = r.Outstanding,
            InterestRate = r.InterestRate, Interest = r.Interest, FlatCompensation = r.FlatCompensation, RecordedAt = recordedAt,
        };

        public PaymentReminder ToReminder() => new()
        {
            InvoiceId = InvoiceId, InvoiceNumber = InvoiceNumber, Country = Country, Currency = Currency, Step = Step, DueDate = DueDate.ToDate(),
            SentOn = SentOn.ToDate(), DaysLate = DaysLate, Outstanding = Outstanding, InterestRate = InterestRate, Interest = Interest,
            FlatCompensation = FlatCompensation,
        };
    }
}
