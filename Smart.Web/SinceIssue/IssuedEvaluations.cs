using Smart.Rules.Evaluation;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.SinceIssue;

/// <summary>
/// An issued invoice evaluated again, as it was issued but with the rules as known now: what is due on it today beside what its stored evaluation
/// applied. The input is read through <see cref="InvoiceInputs"/> (as save, re-evaluation and simulation read it) and pinned to the year-to-date
/// the stored evaluation records, because the member's year has moved on since (later invoices, the invoice itself). The book as known when
/// it was issued checks the input: when it no longer gives the stored figures, something other than the rules changed (the member, the client)
/// and the difference is not the late publication's. One per request or job execution: it keeps the books it has built.
/// </summary>
public sealed class IssuedEvaluations(InvoiceInputs inputs, RuleBookInForce rules, IRuleSetStore store, IInvoiceStore invoices)
{
    private List<DateTime>? publications;
    private readonly Dictionary<DateTime, DocumentEvaluator> books = [];

    /// <summary>The book as known now.</summary>
    public DocumentEvaluator Now => rules.Evaluator;

    /// <summary>
    /// The invoice as its evaluation reads it: a credit note as the invoice of the lines it credits, on its original's date (as it was made).
    /// </summary>
    public async Task<IReadOnlyDictionary<int, Invoice>> AsEvaluatedAsync(IReadOnlyList<Invoice> batch, CancellationToken cancellationToken)
    {
        var evaluated = new Dictionary<int, Invoice>();
        foreach (var invoice in batch)
            evaluated[invoice.Id] = invoice.IsCreditNote
                ? SimulateImpact.AsCreditedInvoice(invoice, (await invoices.GetAsync(invoice.CreditNoteForId!.Value, cancellationToken))?.Date ?? invoice.Date)
                : invoice;
        await inputs.LoadAsync([.. evaluated.Values], cancellationToken);
        return evaluated;
    }

    public Member? MemberOf(Invoice invoice) => inputs.MemberOf(invoice);

    /// <summary>The input of an invoice loaded by <see cref="AsEvaluatedAsync"/>, its author rights' year to date as at issue; null when its unit or client is gone.</summary>
    public InvoiceDocument? Document(Invoice evaluated, InvoiceEvaluation stored)
    {
        if (inputs.Document(evaluated) is not { } document) return null;
        return stored.AuthorRights is { } rights && document.Member is { } member
            ? document with { Member = member with { AuthorRightsYearToDate = rights.YearToDate } }
            : document;
    }

    /// <summary>The stored evaluation's result now, with its sign for a credit note (its figures count negative, as stored).</summary>
    public Outcome<InvoiceEvaluation> DueNow(Invoice invoice, InvoiceDocument document, bool explain) =>
        Signed(Now.EvaluateInvoice(document, explain), invoice.IsCreditNote);

    public static Outcome<InvoiceEvaluation> Signed(Outcome<InvoiceEvaluation> outcome, bool creditNote) =>
        creditNote && outcome.Value is { } value ? Outcome<InvoiceEvaluation>.Success(value.Negated()) : outcome;

    /// <summary>
    /// When the stored evaluation was made, as far as it says: its knowledge date, else the latest publication of the versions it names; null
    /// for an evaluation that names neither (generated or older documents).
    /// </summary>
    public static DateTime? KnownOn(InvoiceEvaluation stored) =>
        stored.AsKnownOn?.UtcDateTime ?? (stored.Rulesets.Select(r => r.Published).Max() is { } published ? Utc(published) : null);

    private static DateTime Utc(DateTime instant) => instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : DateTime.SpecifyKind(instant, DateTimeKind.Utc);

    /// <summary>Whether the evaluation was made before <paramref name="publication"/> (or does not say when).</summary>
    public static bool MadeBefore(InvoiceEvaluation stored, DateTime? publication) =>
        publication is not { } at || KnownOn(stored) is not { } known || known < Utc(at);

    /// <summary>
    /// The book as known when the evaluation was made, or null when it does not say. Books are kept by the last publication before that instant,
    /// so a run builds one per publication interval, not one per document.
    /// </summary>
    public async Task<DocumentEvaluator?> AtIssueAsync(InvoiceEvaluation stored, CancellationToken cancellationToken)
    {
        if (KnownOn(stored) is not { } known) return null;
        publications ??= await PublicationsAsync(cancellationToken);
        var index = publications.BinarySearch(known);
        if (index < 0) index = ~index - 1;
        if (index < 0) return null;
        var interval = publications[index];
        if (!books.TryGetValue(interval, out var book)) books[interval] = book = rules.KnownOn(new DateTimeOffset(interval, TimeSpan.Zero));
        return book;
    }

    /// <summary>Every publication instant of every rule set, in order.</summary>
    private async Task<List<DateTime>> PublicationsAsync(CancellationToken cancellationToken)
    {
        var instants = new SortedSet<DateTime>();
        foreach (var key in (await store.InForceAsync(cancellationToken)).Select(v => v.Key).Distinct())
            foreach (var version in await store.HistoryAsync(key, cancellationToken))
                if (version.PublishedAtUtc is { } at) instants.Add(Utc(at));
        return [.. instants];
    }
}
