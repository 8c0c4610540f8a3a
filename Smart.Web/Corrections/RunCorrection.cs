using MediatR;
using Newtonsoft.Json.Linq;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;
using Smart.Web.EInvoicing;
using Smart.Web.Simulations;
using Smart.Web.SinceIssue;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Corrections;

/// <summary>
/// An accepted correction run, from where it stands: compares the period again (a since-issue comparison of its own, on the simulations'
/// queue, waited for), then writes each affected member-year's regularisation statement and, for each issued invoice whose VAT, contribution
/// or gross differs, a credit note cancelling it and a new invoice with the amounts due now, both through the invoice store's issue and credit
/// operations (their numbers from the usual sequences). Each effect is keyed: a statement by (run, member, year) in the insert that writes it;
/// a corrective pair by (run, invoice), its stage written before the credit note is asked for, and the new invoice carrying the original's id
/// (<see cref="Invoice.ReplacesId"/>) in the write that creates it. A restart at any point finds what exists and makes only the rest.
/// </summary>
public static class RunCorrection
{
    public sealed record Command(int RunId) : IRequest<CorrectionRun>;

    /// <summary>
    /// The language of a member's statement: the member's own (<see cref="Member.Language"/>), else the first of the country's languages
    /// the intranet speaks, else English.
    /// </summary>
    public static string LanguageOf(PluginCatalog plugins, string country, string? memberLanguage = null) =>
        memberLanguage is { } own && Member.Languages.ContainsKey(own) ? own
            : plugins.Find(country)?.Manifest.Languages.FirstOrDefault(Member.Languages.ContainsKey) ?? "en";

    /// <summary>Whether an invoice's difference asks for corrective documents: its VAT, contribution or gross amount, not only its withholding.</summary>
    public static bool NeedsCorrectiveDocuments(SimulatedDocument document) =>
        document.After.Error is null && document.Kind == SimulateImpact.Kinds.Invoice
        && (document.Before.Vat != document.After.Vat || document.Before.Contribution != document.After.Contribution || document.Before.Gross != document.After.Gross);

    public sealed class Handler(ICorrectionStore corrections, ISimulationStore simulations, SimulationJobs simulationJobs, IInvoiceStore invoices,
        IProductionUnitStore units, IClientStore clients, IMemberStore members, IRuleSetStore ruleSets, IssuedEvaluations issued, InvoiceDocuments documents, PluginCatalog plugins,
        CorrectionHooks hooks, TimeProvider clock, ILogger<Handler> logger) : IRequestHandler<Command, CorrectionRun>
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

        public async Task<CorrectionRun> Handle(Command command, CancellationToken cancellationToken)
        {
            var run = await corrections.GetAsync(command.RunId, cancellationToken) ?? throw new InvalidOperationException($"No correction run {command.RunId}.");
            if (run.IsFinished || run.Status == CorrectionStatus.Proposed) return run;
            if (run.Status == CorrectionStatus.Approved) run = await StartComparisonAsync(run, cancellationToken);
            if (run.Status == CorrectionStatus.Comparing) run = await AwaitComparisonAsync(run, cancellationToken);
            if (run.Status == CorrectionStatus.Correcting) run = await CorrectAsync(run, cancellationToken);
            return run;
        }

        private async Task<CorrectionRun> StartComparisonAsync(CorrectionRun run, CancellationToken cancellationToken)
        {
            var source = await simulations.GetAsync(run.SourceSimulationId, cancellationToken)
                ?? throw new InvalidOperationException($"The since-issue comparison {run.SourceSimulationId} the run was proposed from is gone.");
            var comparison = await simulations.AddAsync(new ImpactSimulation
            {
                VersionId = run.VersionId, Key = run.Key, VersionNumber = run.VersionNumber, Country = run.Country, DraftText = source.DraftText,
                From = run.From, To = run.To, StartedBy = $"system:correction-run-{run.Id}", StartedAtUtc = clock.GetUtcNow().UtcDateTime,
                Mode = SimulationMode.SinceIssue, KnownBefore = run.KnownBefore,
            }, cancellationToken);
            run = run with { Status = CorrectionStatus.Comparing, ComparisonId = comparison.Id, StartedAtUtc = clock.GetUtcNow().UtcDateTime };
            await corrections.SaveAsync(run, cancellationToken);
            simulationJobs.Enqueue(comparison.Id);
            return run;
        }

        private async Task<CorrectionRun> AwaitComparisonAsync(CorrectionRun run, CancellationToken cancellationToken)
        {
            while (true)
            {
                var comparison = await simulations.GetAsync(run.ComparisonId!.Value, cancellationToken)
                    ?? throw new InvalidOperationException($"The run's comparison {run.ComparisonId} is gone.");
                if (comparison.IsFinished)
                {
                    if (comparison.Status != SimulationStatus.Done)
                        return await EndAsync(run with
                        {
                            Status = CorrectionStatus.Failed,
                            FailureReason = $"The comparison {comparison.Id} ended {comparison.Status}: {comparison.FailureReason}",
                        });
                    run = run with { Status = CorrectionStatus.Correcting, ComparisonPercent = 100, Currency = comparison.Currency };
                    await corrections.SaveAsync(run, cancellationToken);
                    return run;
                }
                if (comparison.Percent != run.ComparisonPercent)
                {
                    run = run with { ComparisonPercent = comparison.Percent };
                    await corrections.SaveAsync(run, cancellationToken);
                }
                await Task.Delay(Poll, clock, cancellationToken);
            }
        }

        private async Task<CorrectionRun> EndAsync(CorrectionRun ended)
        {
            ended = ended with { FinishedAtUtc = clock.GetUtcNow().UtcDateTime };
            await corrections.SaveAsync(ended, CancellationToken.None);
            return ended;
        }

        private async Task<CorrectionRun> CorrectAsync(CorrectionRun run, CancellationToken cancellationToken)
        {
            var affected = new List<SimulatedDocument>();
            for (var skip = 0; ; skip += 1000)
            {
                var page = await simulations.AffectedAsync(run.ComparisonId!.Value, skip, 1000, cancellationToken);
                affected.AddRange(page.Rows);
                if (page.Rows.Count < 1000) break;
            }
            var invoicesAffected = affected.Where(d => d.Kind == SimulateImpact.Kinds.Invoice).ToList();
            var memberYears = invoicesAffected.Where(d => d.MemberId is not null && d.After.Error is null)
                .GroupBy(d => (MemberId: d.MemberId!.Value, d.Date.Year)).OrderBy(g => g.Key.Year).ThenBy(g => g.Key.MemberId).ToList();
            var toCorrect = invoicesAffected.Where(NeedsCorrectiveDocuments).OrderBy(d => d.DocumentId).ToList();
            run = run with { MemberYears = memberYears.Count, Invoices = toCorrect.Count };
            await corrections.SaveAsync(run, cancellationToken);

            var context = await ContextAsync(run, cancellationToken);
            var statements = 0;
            foreach (var group in memberYears)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await corrections.StatementAsync(run.Id, group.Key.MemberId, group.Key.Year, cancellationToken) is null)
                {
                    var statement = await StatementAsync(run, group.Key.MemberId, group.Key.Year, [.. group.OrderBy(d => d.Date).ThenBy(d => d.DocumentId)], context, cancellationToken);
                    if (await corrections.TryAddStatementAsync(statement, cancellationToken)) hooks.Effect();
                }
                run = run with { Statements = ++statements };
                // Progress only (what was made is found by its key): saved every few statements, one write less per statement.
                if (statements % 10 == 0 || statements == memberYears.Count) await corrections.SaveAsync(run, cancellationToken);
            }

            var corrected = 0;
            var problems = new List<string>(run.Problems);
            foreach (var document in toCorrect)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var done = await CorrectAsync(run, document, cancellationToken);
                if (done.Stage == CorrectionStage.Skipped && done.Note is { } note && problems.Count < 20) problems.Add($"{document.Number ?? "#" + document.DocumentId}: {note}");
                run = run with { Corrected = ++corrected, Problems = problems.Distinct().ToList() };
                await corrections.SaveAsync(run, cancellationToken);
            }
            return await EndAsync(run with { Status = CorrectionStatus.Done });
        }

        /// <summary>What every statement of the run reads: the versions in force now, and the versions' texts by key and number.</summary>
        private async Task<Context> ContextAsync(CorrectionRun run, CancellationToken cancellationToken)
        {
            var inForce = (await ruleSets.InForceAsync(cancellationToken)).ToDictionary(v => v.Key, StringComparer.Ordinal);
            return new Context(inForce, LanguageOf(plugins, run.Country), plugins.Find(run.Country)?.Manifest.Currency ?? run.Currency ?? "EUR");
        }

        private sealed record Context(IReadOnlyDictionary<string, RuleSetVersion> InForce, string Language, string Currency)
        {
            public Dictionary<(string Key, int Number), RuleSetVersion?> Versions { get; } = [];

            /// <summary>The version field of each in-force text, parsed once per run.</summary>
            public Dictionary<string, string?> FileVersions { get; } = new(StringComparer.Ordinal);

            /// <summary>The citations of a set of changes (rule set and version before), worked out once per run.</summary>
            public Dictionary<string, IReadOnlyList<StatementCitation>> Citations { get; } = new(StringComparer.Ordinal);
        }

        private async Task<RegularisationStatement> StatementAsync(CorrectionRun run, int memberId, int year, IReadOnlyList<SimulatedDocument> documents,
            Context context, CancellationToken cancellationToken)
        {
            var lines = new List<StatementLine>();
            var changed = new Dictionary<string, (int? Before, int? After)>(StringComparer.Ordinal);
            foreach (var document in documents)
            {
                var invoice = await invoices.GetAsync(document.DocumentId, cancellationToken);
                var used = invoice?.Evaluation?.Rulesets ?? [];
                var applied = used.Select(r => new StatementVersion(r.Id, r.Version, r.StoreVersion, r.Published)).ToList();
                var due = new List<StatementVersion>();
                foreach (var r in used)
                {
                    if (!context.InForce.TryGetValue(r.Id + ".json", out var now))
                    {
                        due.Add(new StatementVersion(r.Id, r.Version, r.StoreVersion, r.Published));
                        continue;
                    }
                    if (!context.FileVersions.TryGetValue(now.Key, out var fileVersion))
                        context.FileVersions[now.Key] = fileVersion = RuleSetText.TryParse(now.Text)?.Value<string>("version");
                    due.Add(new StatementVersion(r.Id, fileVersion ?? r.Version, now.Number, now.PublishedAtUtc));
                    if (r.StoreVersion != now.Number) changed[r.Id] = (r.StoreVersion, now.Number);
                }
                lines.Add(new StatementLine(document.DocumentId, document.Number, document.Date, invoice?.IsCreditNote ?? false, document.Before, document.After,
                    applied, due, invoice?.Evaluation is { } stored ? IssuedEvaluations.KnownOn(stored) : null));
            }
            return new RegularisationStatement
            {
                RunId = run.Id, MemberId = memberId, Member = documents[0].Member ?? $"#{memberId}", Year = year, Country = run.Country,
                Language = LanguageOf(plugins, run.Country, (await members.GetAsync(memberId, cancellationToken))?.Language),
                Currency = context.Currency, WrittenAtUtc = clock.GetUtcNow().UtcDateTime, Lines = lines,
                Citations = await CitationsAsync(changed, context, cancellationToken),
            };
        }

        /// <summary>
        /// The law the rule files cite for what changed: for each rule set whose version differs between the two sides, the sources of the
        /// parameters whose values changed (the dated value's own, else the parameter's), then its rules' sources. Nothing here names a country.
        /// </summary>
        private async Task<IReadOnlyList<StatementCitation>> CitationsAsync(Dictionary<string, (int? Before, int? After)> changed, Context context,
            CancellationToken cancellationToken)
        {
            var signature = string.Join(";", changed.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}:{c.Value.Before}"));
            if (!context.Citations.TryGetValue(signature, out var cited)) context.Citations[signature] = cited = await CiteAsync(changed, context, cancellationToken);
            return cited;
        }

        private async Task<IReadOnlyList<StatementCitation>> CiteAsync(Dictionary<string, (int? Before, int? After)> changed, Context context,
            CancellationToken cancellationToken)
        {
            var citations = new List<StatementCitation>();
            foreach (var (id, (before, _)) in changed.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var key = id + ".json";
                if (!context.InForce.TryGetValue(key, out var now) || RuleSetText.TryParse(now.Text) is not { } file) continue;
                var earlier = before is { } number ? await VersionAsync(key, number, context, cancellationToken) : null;
                foreach (var change in earlier is null ? [] : RuleSetText.ParameterChanges(earlier.Text, now.Text))
                {
                    if (RuleSetText.Parameter(file, change.Name) is not { } parameter) continue;
                    var dated = (parameter["values"] as JArray)?.OfType<JObject>().LastOrDefault(v => v.Value<string>("from") is { } from
                        && DateOnly.TryParse(from, System.Globalization.CultureInfo.InvariantCulture, out var day) && day <= change.From);
                    if ((dated?["source"] ?? parameter["source"]) is JObject source) Add(id, source);
                }
                foreach (var source in (file["ruleSources"] as JObject)?.Properties().Select(p => p.Value).OfType<JObject>() ?? []) Add(id, source);
            }
            return citations;

            void Add(string ruleSet, JObject source)
            {
                var citation = new StatementCitation(ruleSet, source.Value<string>("title") ?? "", source.Value<string>("article"), source.Value<string>("url"));
                if (citation.Title.Length > 0 && !citations.Contains(citation)) citations.Add(citation);
            }
        }

        private async Task<RuleSetVersion?> VersionAsync(string key, int number, Context context, CancellationToken cancellationToken)
        {
            if (!context.Versions.TryGetValue((key, number), out var version))
                context.Versions[(key, number)] = version = (await ruleSets.HistoryAsync(key, cancellationToken)).FirstOrDefault(v => v.Number == number);
            return version;
        }

        /// <summary>One invoice's credit note and new invoice, from the stage its key's record says (none: not started).</summary>
        private async Task<CorrectiveDocuments> CorrectAsync(CorrectionRun run, SimulatedDocument document, CancellationToken cancellationToken)
        {
            var actor = AuditActor.System($"correction-run-{run.Id}");
            var correction = await corrections.CorrectionAsync(run.Id, document.DocumentId, cancellationToken);
            if (correction is { Stage: CorrectionStage.Done or CorrectionStage.Skipped }) return correction;
            var original = await invoices.GetAsync(document.DocumentId, cancellationToken);
            async Task<CorrectiveDocuments> SkipAsync(string note)
            {
                var skipped = (correction ?? new CorrectiveDocuments { RunId = run.Id, InvoiceId = document.DocumentId }) with
                {
                    Stage = CorrectionStage.Skipped,
                    Note = note,
                    OriginalNumber = original?.Number,
                };
                await corrections.SaveCorrectionAsync(skipped, cancellationToken);
                return skipped;
            }
            if (original?.Evaluation is not { } stored) return await SkipAsync("the invoice or its evaluation is gone");
            // What is due now, as the comparison computed it: the rules as known now, the member's year to date as at issue.
            var evaluated = await issued.AsEvaluatedAsync([original], cancellationToken);
            var due = issued.Document(evaluated[original.Id], stored) is { } input ? issued.DueNow(original, input, explain: true).Value : null;
            if (due is null) return await SkipAsync("the rules as known now do not evaluate it");
            due = due with { AsKnownOn = clock.GetUtcNow() };
            var memberId = (await units.GetAsync(original.ProductionUnitId, cancellationToken))?.MemberId;
            var client = await clients.GetAsync(original.ClientId, cancellationToken);

            if (correction is null)
            {
                // Not started: an invoice cancelled, partly credited or written off before the run is staff's to correct, not the run's.
                if (!original.CanBeCredited || original.Credits.Count > 0) return await SkipAsync("credited or written off before the run");
                correction = new CorrectiveDocuments { RunId = run.Id, InvoiceId = original.Id, OriginalNumber = original.Number, Stage = CorrectionStage.Crediting };
                await corrections.SaveCorrectionAsync(correction, cancellationToken);
            }
            if (correction.Stage == CorrectionStage.Crediting)
            {
                // The stage was written before the credit: an original found cancelled now was cancelled by this run, the restart carries on.
                if (original.CreditedById is null)
                {
                    Func<Invoice, Invoice, InvoiceFiles>? files = client is null ? null : (note, credited) => documents.Files(note, client, credited);
                    var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
                    UpdateOutcome<Invoice> credit;
                    try
                    {
                        credit = await invoices.CreditAsync(original.Id, stored.Negated(), today, memberId, actor, files, cancellationToken);
                    }
                    catch (EInvoiceSchemaException e)
                    {
                        return await SkipAsync($"its credit note's e-invoice failed its schema check: {e.Message}");
                    }
                    if (credit is not { Updated: true, Current.CreditedById: not null }) return await SkipAsync("it could not be credited (changed meanwhile)");
                    original = credit.Current!;
                    hooks.Effect();
                }
                var creditNote = await invoices.GetAsync(original.CreditedById!.Value, cancellationToken);
                correction = correction with { Stage = CorrectionStage.Credited, CreditNoteId = creditNote?.Id, CreditNoteNumber = creditNote?.Number };
                await corrections.SaveCorrectionAsync(correction, cancellationToken);
            }

            // The new invoice: found by the original's id it carries, or made once.
            var replacement = (await invoices.SearchAsync(new InvoiceQuery(CountryScope.Only(original.Country))
            {
                ProductionUnitId = original.ProductionUnitId, ClientId = original.ClientId, From = original.Date, To = original.Date, Take = 1000,
            }, cancellationToken)).Rows.FirstOrDefault(i => i.ReplacesId == original.Id);
            if (replacement is null)
            {
                replacement = await invoices.AddDraftAsync(original with
                {
                    Id = 0,
                    Version = 0,
                    Status = InvoiceStatus.Draft,
                    Number = null,
                    Evaluation = due,
                    Payments = [],
                    CreditNoteForId = null,
                    CreditedById = null,
                    Credits = [],
                    Refunds = [],
                    WriteOff = null,
                    ReplacesId = original.Id,
                }, actor, cancellationToken);
                hooks.Effect();
            }
            if (replacement.Status == InvoiceStatus.Draft)
            {
                UpdateOutcome<Invoice> issue;
                try
                {
                    issue = client is not null && documents.Missing(replacement, due, client, null).Count == 0
                        ? await invoices.IssueAsync(replacement.Id, replacement.Version, due, memberId, actor, numbered => documents.Files(numbered, client, null), cancellationToken)
                        : await invoices.IssueAsync(replacement.Id, replacement.Version, due, memberId, actor, cancellationToken);
                }
                catch (EInvoiceSchemaException e)
                {
                    logger.LogWarning("Correction run {Run}: the new invoice of {Invoice} failed its e-invoice check: {Reason}", run.Id, original.Id, e.Message);
                    issue = await invoices.IssueAsync(replacement.Id, replacement.Version, due, memberId, actor, cancellationToken);
                }
                replacement = issue.Current ?? await invoices.GetAsync(replacement.Id, cancellationToken) ?? replacement;
            }
            await MovePaymentAsync(run, original.Id, replacement, actor, cancellationToken);
            correction = correction with { Stage = CorrectionStage.Done, NewInvoiceId = replacement.Id, NewInvoiceNumber = replacement.Number };
            await corrections.SaveCorrectionAsync(correction, cancellationToken);
            return correction;
        }

        /// <summary>
        /// What the client paid on the cancelled invoice pays the new one (up to what it asks): recorded as a refund on the original and a payment
        /// on the new invoice, each naming the other, so the client is neither asked to pay twice nor owed what it already settled. The rest, if the
        /// new invoice asks less, stays on the original to refund. Two writes, each found again by its reference: a restart between them finishes it.
        /// </summary>
        private async Task MovePaymentAsync(CorrectionRun run, int originalId, Invoice replacement, AuditActor actor, CancellationToken cancellationToken)
        {
            if (replacement.Number is null || await invoices.GetAsync(originalId, cancellationToken) is not { } original) return;
            var (movedTo, movedFrom) = ($"moved to invoice {replacement.Number} (correction run {run.Id})", $"moved from invoice {original.Number} (correction run {run.Id})");
            if (replacement.Payments.Any(p => p.Reference == movedFrom)) return;
            var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
            var amount = original.Refunds.FirstOrDefault(r => r.Reference == movedTo)?.Amount ?? 0m;
            if (amount == 0m)
            {
                amount = Math.Min(original.Overpaid, replacement.BalanceDue);
                if (amount <= 0m) return;
                if (!(await invoices.RefundAsync(original.Id, new InvoiceRefund(today, amount, movedTo), actor, cancellationToken)).Updated)
                {
                    logger.LogWarning("Correction run {Run}: the payment of {Invoice} could not be moved to {Replacement} (changed meanwhile)", run.Id, original.Number, replacement.Number);
                    return;
                }
                hooks.Effect();
            }
            if (!(await invoices.RecordPaymentAsync(replacement.Id, new InvoicePayment(today, amount, movedFrom), actor, cancellationToken)).Updated)
                logger.LogWarning("Correction run {Run}: {Amount} refunded from {Invoice} could not pay {Replacement}: staff must record it", run.Id, amount, original.Number, replacement.Number);
        }
    }
}

/// <summary>
/// A test's stop in the middle of a run: with <c>Smart:Corrections:StopAfterEffects</c> = N, the job stops as an app stopping would, right
/// after its N-th write (a statement, a credit note, a new invoice) and before it records any progress after it. Off (0) in production.
/// </summary>
public sealed class CorrectionHooks(IConfiguration configuration)
{
    private readonly int stopAfter = configuration.GetValue("Smart:Corrections:StopAfterEffects", 0);
    private int effects;

    public void Effect()
    {
        if (stopAfter > 0 && Interlocked.Increment(ref effects) == stopAfter) throw new CorrectionStoppedException();
    }
}

/// <summary>The test hook's stop: the job leaves the run as it stands, as when the app stops.</summary>
public sealed class CorrectionStoppedException() : Exception("The correction run was stopped by its test hook.");
