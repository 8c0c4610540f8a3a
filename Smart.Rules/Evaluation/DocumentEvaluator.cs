using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Evaluation;

/// <summary>
/// Evaluates invoices and contracts against the rule sets of their country in force on their date.
/// Thread-safe: the book is immutable and each evaluation works on its own argument arrays.
/// </summary>
public sealed class DocumentEvaluator(RuleBook book)
{
    public RuleBook Book => book;

    /// <param name="explain">
    /// False leaves the trace empty (the rule set versions and unconfirmed values are still reported): for bulk
    /// re-evaluation after a rule change, which compares amounts and explains only the documents that changed.
    /// </param>
    public Outcome<InvoiceEvaluation> EvaluateInvoice(InvoiceDocument invoice, bool explain = true)
    {
        RuleBudget.Begin();
        try
        {
            return Invoice(invoice, explain);
        }
        catch (RuleFailedException e)
        {
            return Outcome<InvoiceEvaluation>.Failed(e.Message);
        }
        catch (OverflowException)
        {
            return Outcome<InvoiceEvaluation>.Failed(Overflow);
        }
    }

    public Outcome<ContractEvaluation> EvaluateContract(ContractDocument contract, bool explain = true)
    {
        RuleBudget.Begin();
        try
        {
            return Contract(contract, explain);
        }
        catch (RuleFailedException e)
        {
            return Outcome<ContractEvaluation>.Failed(e.Message);
        }
        catch (OverflowException)
        {
            return Outcome<ContractEvaluation>.Failed(Overflow);
        }
    }

    public Outcome<ExpenseEvaluation> EvaluateExpense(ExpenseDocument expense, bool explain = true)
    {
        RuleBudget.Begin();
        try
        {
            return Expense(expense, explain);
        }
        catch (RuleFailedException e)
        {
            return Outcome<ExpenseEvaluation>.Failed(e.Message);
        }
        catch (OverflowException)
        {
            return Outcome<ExpenseEvaluation>.Failed(Overflow);
        }
    }

    /// <summary>The evaluator's own sums and products of what the rules gave (rules' own arithmetic fails naming the rule).</summary>
    private const string Overflow = "an amount computed from the rules' results is beyond what can be computed";

    private Outcome<InvoiceEvaluation> Invoice(InvoiceDocument invoice, bool explain)
    {
        var errors = DocumentValidation.Check(invoice);
        if (errors.Count > 0) return Outcome<InvoiceEvaluation>.Invalid(errors);

        var country = book.Country(invoice.Country);
        if (country is null) return Outcome<InvoiceEvaluation>.Uncovered("country", $"no rule set covers country '{invoice.Country}'");
        // Each topic's rule set is found once: VAT and contribution are required, the others apply where the country has them.
        var vatSet = country.Find(Topics.Vat, invoice.Date);
        if (vatSet is null) return NotInForce<InvoiceEvaluation>(country, Topics.Vat, invoice.Date);
        var contributionSet = country.Find(Topics.Contribution, invoice.Date);
        if (contributionSet is null) return NotInForce<InvoiceEvaluation>(country, Topics.Contribution, invoice.Date);

        var manifest = country.Plugin.Manifest;
        var issuer = invoice.Issuer is null ? manifest.DefaultIssuer : IssuerNamed(manifest, invoice.Issuer);
        if (issuer is null)
            return Invalid<InvoiceEvaluation>("issuer", $"'{invoice.Issuer}' is not an issuing entity of {manifest.Country}: {string.Join(", ", manifest.Issuers.Select(i => i.Id))}");

        var client = ClientFactsFor(invoice.Client, manifest.Country, invoice.Date, errors);
        if (errors.Count > 0) return Outcome<InvoiceEvaluation>.Invalid(errors);

        using var run = new Run(manifest, invoice.Date, explain, invoice.Lines.Count, country.SlotCount);
        var facts = new Facts(
            new DocumentFacts { Country = manifest.Country, Year = invoice.Date.Year, Day = DayNumber(invoice.Date), ServiceLevel = invoice.ServiceLevel ?? "standard", Kind = "invoice", LineCount = invoice.Lines.Count },
            client,
            new IssuerFacts { Id = issuer.Id, RecognisedTrainingBody = issuer.RecognisedTrainingBody },
            MemberFactsFor(invoice.Member),
            EmptyContract);

        var lines = VatLines(run, vatSet, invoice, facts, out var uncoveredLine);
        if (lines is null)
            return Outcome<InvoiceEvaluation>.Uncovered($"lines[{uncoveredLine}]", $"no rule of {vatSet.Id} {vatSet.Version} applies to this line");
        var (breakdown, vatTotal) = VatBreakdown(run, lines, facts.Doc);
        // The topics after VAT see what the client owes.
        (facts.Doc.Vat, facts.Doc.Gross) = (vatTotal, facts.Doc.Net + vatTotal);

        var contribution = Contribution(run, contributionSet, facts, facts.Doc.TurnoverNet);
        if (contribution is null)
            return Invalid<InvoiceEvaluation>("serviceLevel", $"no rule of {contributionSet.Id} {contributionSet.Version} applies to service level '{facts.Doc.ServiceLevel}'");
        var authorRights = facts.Doc.AuthorRightsNet > 0 && country.Find(Topics.AuthorRights, invoice.Date) is { } authorSet
            ? AuthorRights(run, authorSet, facts) : null;
        // Statutory interest is the rate in force on the due date, not on the invoice date.
        var dueDate = invoice.DueDate ?? invoice.Date;
        var latePayment = country.Find(Topics.LatePayment, dueDate) is { } lateSet ? LatePayment(run, lateSet, facts, dueDate) : null;
        var stampDuty = country.Find(Topics.StampDuty, invoice.Date) is { } stampSet ? StampDuty(run, stampSet, facts) : null;

        return Outcome<InvoiceEvaluation>.Success(new InvoiceEvaluation
        {
            Country = manifest.Country,
            Currency = manifest.Currency,
            Date = invoice.Date,
            Issuer = issuer.Id,
            Lines = lines,
            Totals = new Totals(facts.Doc.Net, vatTotal, facts.Doc.Net + vatTotal),
            VatBreakdown = breakdown,
            Contribution = contribution,
            AuthorRights = authorRights,
            LatePayment = latePayment,
            StampDuty = stampDuty,
            Mentions = run.Mentions,
            Rulesets = run.Used,
            Trace = run.Trace,
            Unconfirmed = run.Unconfirmed,
        });
    }

    private static Outcome<T> NotInForce<T>(CountryRules country, string topic, DateOnly date) where T : class =>
        Outcome<T>.Uncovered("date", $"no {topic} rule set of {country.Plugin.Manifest.Country} is in force on {date:yyyy-MM-dd}");

    /// <summary>
    /// Each line's net and VAT, by the first VAT rule that holds for it; sums the document's nets into <paramref name="facts"/>
    /// first, since a line's rules may read them. Null, with the line's index, when no rule applies to a line.
    /// </summary>
    private static LineEvaluation[]? VatLines(Run run, CompiledRuleSet vatSet, InvoiceDocument invoice, Facts facts, out int uncoveredLine)
    {
        uncoveredLine = -1;
        var count = invoice.Lines.Count;
        // Line nets are kept only for this method: on the stack for any ordinary invoice.
        Span<decimal> nets = count <= 64 ? stackalloc decimal[count] : new decimal[count];
        for (var i = 0; i < count; i++)
        {
            var line = invoice.Lines[i];
            nets[i] = run.Round(line.Quantity * line.UnitPrice);
            facts.Doc.Net += nets[i];
            if (line.Category != Categories.Disbursement) facts.Doc.TurnoverNet += nets[i];
            if (line.Category == Categories.AuthorRights) facts.Doc.AuthorRightsNet += nets[i];
        }

        var issuerCountry = facts.Doc.Country;
        var args = run.Arguments(vatSet, facts);
        var lines = new LineEvaluation[count];
        // One facts object for every line: expressions only read it, and the trace copies the values it shows.
        var lineFacts = new LineFacts();
        args[FactSlots.Line] = lineFacts;
        for (var i = 0; i < count; i++)
        {
            var line = invoice.Lines[i];
            (lineFacts.Index, lineFacts.Category, lineFacts.Description, lineFacts.Quantity, lineFacts.UnitPrice, lineFacts.Net, lineFacts.WorkKind) =
                (i, line.Category, line.Description, line.Quantity, line.UnitPrice, nets[i], line.WorkKind ?? "");
            lineFacts.PerformedIn = line.PerformedIn is { Length: > 0 } place ? place.ToUpperInvariant() : issuerCountry;
            lineFacts.PerformedAbroad = lineFacts.PerformedIn != issuerCountry;
            var fired = run.Fire(vatSet, args, i);
            if (fired is null)
            {
                uncoveredLine = i;
                return null;
            }
            var rule = fired.Value.Rule;
            var rate = run.Decimal(fired.Value.Value, vatSet, rule);
            var mention = run.Mention(vatSet, args, rule);
            // The reason text is printed only on the e-invoice (the mention is already on the invoice): it adds no mention of its own.
            var reason = rule.ExemptionReasonParameter is null ? null
                : rule.ExemptionReasonParameter == rule.MentionParameter ? mention
                : run.Text(vatSet, args, rule.ExemptionReasonIndex);
            lines[i] = new LineEvaluation(nets[i], rate, run.Round(nets[i] * rate), rule.Event!, mention, rule.Name,
                rule.VatCategory, rule.VatExemptionCode, reason, rule.Natura);
        }
        return lines;
    }

    /// <summary>EN 16931: the nets summed per VAT category and rate, each group's VAT rounded once; notes the nets bearing no VAT.</summary>
    private static (VatBreakdownRow[] Breakdown, decimal VatTotal) VatBreakdown(Run run, LineEvaluation[] lines, DocumentFacts doc)
    {
        // A group is found by its first line; both arrays are on the stack for any ordinary invoice.
        Span<int> groupOf = lines.Length <= 64 ? stackalloc int[lines.Length] : new int[lines.Length];
        Span<decimal> bases = lines.Length <= 64 ? stackalloc decimal[lines.Length] : new decimal[lines.Length];
        var groups = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var group = 0;
            while (group < groups && !SameVatGroup(lines[groupOf[group]], lines[i])) group++;
            if (group == groups) groupOf[groups++] = i;
            bases[group] += lines[i].Net;
        }
        var breakdown = new VatBreakdownRow[groups];
        var vatTotal = 0m;
        for (var group = 0; group < groups; group++)
        {
            var first = lines[groupOf[group]];
            var vat = run.Round(bases[group] * first.VatRate);
            breakdown[group] = new VatBreakdownRow(first.VatTreatment, first.VatRate, bases[group], vat, first.Mention,
                first.VatCategory, first.VatExemptionCode, first.VatExemptionReason, first.Natura);
            vatTotal += vat;
            if (first.VatRate == 0) doc.NonVatNet += bases[group];
        }
        return (breakdown, vatTotal);
    }

    private Outcome<ContractEvaluation> Contract(ContractDocument contract, bool explain)
    {
        var errors = DocumentValidation.Check(contract);
        if (errors.Count > 0) return Outcome<ContractEvaluation>.Invalid(errors);
        var country = book.Country(contract.Country);
        if (country is null) return Outcome<ContractEvaluation>.Uncovered("country", $"no rule set covers country '{contract.Country}'");
        var set = country.Find(Topics.Employment, contract.Date);
        if (set is null)
            return Outcome<ContractEvaluation>.Uncovered(country.Has(Topics.Employment) ? "date" : "country",
                $"no employment rule set of {country.Plugin.Manifest.Country} is in force on {contract.Date:yyyy-MM-dd}");

        var manifest = country.Plugin.Manifest;
        using var run = new Run(manifest, contract.Date, explain);
        var facts = new Facts(
            new DocumentFacts { Country = manifest.Country, Year = contract.Date.Year, Day = DayNumber(contract.Date), ServiceLevel = contract.ServiceLevel ?? "standard", Kind = "contract" },
            EmptyClient, EmptyIssuer, MemberFactsFor(contract.Member),
            new ContractFacts { JobCategory = contract.JobCategory, Days = contract.Days, Hours = contract.Hours, Budget = contract.Budget });
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return Outcome<ContractEvaluation>.Uncovered("jobCategory", $"no rule of {set.Id} {set.Version} applies to this contract");

        var mutualised = run.Round(run.Result(set, args, fired.Value.Rule, "mutualisedContribution"));
        var employer = run.Round(run.Result(set, args, fired.Value.Rule, "employerContributions"));
        // The gross salary takes the rounding residue, so the split always adds up to the budget.
        var gross = contract.Budget - mutualised - employer;
        var worker = run.Round(run.OptionalResult(set, args, fired.Value.Rule, "workerContributions") ?? 0m);
        var employerRate = run.OptionalResult(set, args, fired.Value.Rule, "employerRate") ?? 0m;
        var mutualisedRate = run.OptionalResult(set, args, fired.Value.Rule, "mutualisedRate") ?? (contract.Budget == 0 ? 0 : mutualised / contract.Budget);
        run.Mention(set, args, fired.Value.Rule);

        return Outcome<ContractEvaluation>.Success(new ContractEvaluation
        {
            Country = manifest.Country,
            Currency = manifest.Currency,
            Date = contract.Date,
            Employment = new EmploymentSplit(contract.Budget, mutualised, employer, gross, employerRate, worker, gross - worker),
            Contribution = new ContributionResult(mutualisedRate, contract.Budget, mutualised),
            Mentions = run.Mentions,
            Rulesets = run.Used,
            Trace = run.Trace,
            Unconfirmed = run.Unconfirmed,
        });
    }

    private Outcome<ExpenseEvaluation> Expense(ExpenseDocument expense, bool explain)
    {
        var errors = DocumentValidation.Check(expense);
        if (errors.Count > 0) return Outcome<ExpenseEvaluation>.Invalid(errors);
        var country = book.Country(expense.Country);
        if (country is null) return Outcome<ExpenseEvaluation>.Uncovered("country", $"no rule set covers country '{expense.Country}'");
        var set = country.Find(Topics.Expenses, expense.Date);
        if (set is null)
            return Outcome<ExpenseEvaluation>.Uncovered(country.Has(Topics.Expenses) ? "date" : "country",
                $"no expenses rule set of {country.Plugin.Manifest.Country} is in force on {expense.Date:yyyy-MM-dd}");
        var category = set.File.Categories.Find(c => c.Code == expense.Category);
        if (category is null)
            return Invalid<ExpenseEvaluation>("category", $"'{expense.Category}' is not an expense category of {set.Id}: {string.Join(", ", set.File.Categories.Select(c => c.Code))}");

        // Each kind needs its own figure; asking for it by name keeps a claim from being reimbursed on nothing.
        var manifest = country.Plugin.Manifest;
        var run = new Run(manifest, expense.Date, explain);
        var amount = expense.Amount ?? 0m;
        var vat = 0m;
        switch (category.Kind)
        {
            case ExpenseKinds.Receipt:
                if (expense.Amount is not > 0) return Invalid<ExpenseEvaluation>("amount", $"a '{category.Code}' expense needs the amount paid, VAT included");
                vat = expense.Vat ?? (expense.VatRate is { } rate ? run.Round(amount * rate / (1m + rate)) : 0m);
                break;
            case ExpenseKinds.Mileage:
                if (expense.Kilometres is not > 0) return Invalid<ExpenseEvaluation>("kilometres", $"a '{category.Code}' expense needs the kilometres driven");
                break;
            case ExpenseKinds.PerDiem:
                if (expense.Days is not > 0) return Invalid<ExpenseEvaluation>("days", $"a '{category.Code}' expense needs the days of the trip");
                break;
        }

        var facts = new Facts(
            new DocumentFacts { Country = manifest.Country, Year = expense.Date.Year, Day = DayNumber(expense.Date), Kind = "expense" },
            EmptyClient, EmptyIssuer, new MemberFacts(), EmptyContract)
        {
            Expense = new ExpenseFacts
            {
                Category = category.Code, Kind = category.Kind, Amount = amount, Vat = vat, Net = amount - vat,
                Kilometres = expense.Kilometres ?? 0m, Days = expense.Days ?? 0,
            },
        };
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return Outcome<ExpenseEvaluation>.Uncovered("category", $"no rule of {set.Id} {set.Version} applies to a '{category.Code}' expense");
        var rule = fired.Value.Rule;
        var share = Math.Clamp(run.Decimal(fired.Value.Value, set, rule), 0m, 1m);
        var reimbursed = run.Round(run.Result(set, args, rule, "reimbursed"));
        var recoverable = run.Round(vat * share);
        run.Mention(set, args, rule);

        return Outcome<ExpenseEvaluation>.Success(new ExpenseEvaluation
        {
            Country = manifest.Country,
            Currency = manifest.Currency,
            Date = expense.Date,
            Category = category.Code,
            Kind = category.Kind,
            Amount = category.Kind == ExpenseKinds.Receipt ? amount : reimbursed,
            Vat = vat,
            DeductibleShare = share,
            RecoverableVat = recoverable,
            Reimbursed = reimbursed,
            Charged = reimbursed - recoverable,
            Mentions = run.Mentions,
            Rulesets = run.Used,
            Trace = run.Trace,
            Unconfirmed = run.Unconfirmed,
        });
    }

    /// <summary>
    /// A country's annual author-rights ceiling on a date, as its rule set computes it for a member with no income yet,
    /// so pages can warn before an invoice crosses it; null where the country has no such rule set or its regime no ceiling.
    /// </summary>
    public decimal? AuthorRightsCeiling(string country, DateOnly date)
    {
        if (book.Country(country) is not { } rules || rules.Find(Topics.AuthorRights, date) is not { } set) return null;
        var manifest = rules.Plugin.Manifest;
        using var run = new Run(manifest, date, explain: false);
        RuleBudget.Begin();
        var facts = new Facts(new DocumentFacts { Country = manifest.Country, Year = date.Year, Day = DayNumber(date) },
            EmptyClient, EmptyIssuer, new MemberFacts(), EmptyContract);
        var args = run.Arguments(set, facts);
        try
        {
            return run.Fire(set, args, null) is { } fired ? run.OptionalResult(set, args, fired.Rule, "ceiling") : null;
        }
        catch (RuleFailedException)
        {
            return null; // only a warning's threshold: the document's own evaluation reports the failure
        }
    }

    private static ContributionResult? Contribution(Run run, CompiledRuleSet set, Facts facts, decimal basis)
    {
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null; // an unknown service level must not silently cost the cooperative its contribution
        var rate = run.Decimal(fired.Value.Value, set, fired.Value.Rule);
        run.Mention(set, args, fired.Value.Rule);
        return new ContributionResult(rate, basis, run.Round(basis * rate));
    }

    private static AuthorRightsResult? AuthorRights(Run run, CompiledRuleSet set, Facts facts)
    {
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null;
        var rule = fired.Value.Rule;
        var amount = facts.Doc.AuthorRightsNet;
        var yearToDate = facts.Member.AuthorRightsYearToDate;
        // A share cap (Belgium's 70/30) turns the excess into professional income: the ceiling concerns the rest only.
        var aboveShareCap = Math.Clamp(run.Round(run.OptionalResult(set, args, rule, "aboveShareCap") ?? 0m), 0m, amount);
        var eligible = amount - aboveShareCap;
        // No "ceiling" result means the country's regime has none (Italy): everything is within it.
        var ceiling = run.OptionalResult(set, args, rule, "ceiling");
        run.Mention(set, args, rule);
        return new AuthorRightsResult(
            amount, yearToDate, ceiling, ceiling is null || yearToDate + eligible <= ceiling,
            run.Result(set, args, rule, "withholdingRate"),
            run.Round(run.Decimal(fired.Value.Value, set, rule)),
            run.Round(run.OptionalResult(set, args, rule, "lumpSumDeduction") ?? 0m),
            ceiling is null ? 0m : Math.Min(eligible, Math.Max(0m, yearToDate + eligible - ceiling.Value)))
        {
            AboveShareCap = aboveShareCap,
        };
    }

    private static StampDutyResult? StampDuty(Run run, CompiledRuleSet set, Facts facts)
    {
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null;
        var mention = run.Mention(set, args, fired.Value.Rule);
        return new StampDutyResult(run.Round(run.Decimal(fired.Value.Value, set, fired.Value.Rule)), facts.Doc.NonVatNet) { Mention = mention };
    }

    private static LatePaymentTerms? LatePayment(Run run, CompiledRuleSet set, Facts facts, DateOnly dueDate)
    {
        var documentDate = run.Date;
        run.Date = dueDate;
        try
        {
            return LatePayment(run, set, facts);
        }
        finally
        {
            run.Date = documentDate;
        }
    }

    private static LatePaymentTerms? LatePayment(Run run, CompiledRuleSet set, Facts facts)
    {
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null;
        var rule = fired.Value.Rule;
        var days = Run.Lookup(args, rule, "reminderDays") as decimal[] ?? [];
        run.Mention(set, args, rule);
        var penaltyCap = run.OptionalResult(set, args, rule, "penaltyCap");
        return new LatePaymentTerms(run.Decimal(fired.Value.Value, set, rule), run.Result(set, args, rule, "flatCompensation"),
            Array.ConvertAll(days, d => (int)d))
        {
            PenaltyCap = penaltyCap is null ? null : run.Round(penaltyCap.Value),
        };
    }

    private ClientFacts ClientFactsFor(ClientInfo client, string issuerCountry, DateOnly date, Dictionary<string, string[]> errors)
    {
        var country = client.Country.Length == 2 && char.IsAsciiLetterUpper(client.Country[0]) && char.IsAsciiLetterUpper(client.Country[1])
            ? client.Country : client.Country.ToUpperInvariant();
        var inEu = EuropeanUnion.IsMember(country, date);
        var facts = new ClientFacts
        {
            Kind = client.Kind,
            Country = country,
            VatNumber = client.VatNumber ?? "",
            HasVatNumber = !string.IsNullOrWhiteSpace(client.VatNumber),
            Domestic = country == issuerCountry,
            OtherEu = country != issuerCountry && inEu,
            OutsideEu = !inEu,
            PublicBody = client.Kind == "public",
            NonProfit = client.Kind == "nonprofit",
            LegalForm = client.LegalForm ?? "",
        };
        var plugin = book.Plugins.Find(country);
        if (facts.HasVatNumber && plugin?.Plugin.Validators.GetValueOrDefault(IdentifierKind.VatNumber) is { } validator)
        {
            var check = validator.Check(client.VatNumber!);
            if (!check.IsValid) errors["client.vatNumber"] = [$"'{client.VatNumber}' is not a valid {country} VAT number: {check.Problem}"];
            facts.VatNumberValid = check.IsValid;
        }
        if (client.LegalForm is { Length: > 0 } code && book.Find(country, Topics.LegalForms, date) is { } forms)
        {
            if (!forms.LegalForms.TryGetValue(code, out var form))
                errors["client.legalForm"] = [$"'{code}' is not a legal form of {country}: {string.Join(", ", forms.File.Entries.Select(e => e.Code))}"];
            else
            {
                facts.LegalFormKnown = true;
                facts.PublicBody |= form.PublicBody;
                facts.NonProfit |= form.NonProfit;
            }
        }
        facts.Taxable = facts.Kind == "business" || (facts.HasVatNumber && facts.VatNumberValid);
        return facts;
    }

    private static MemberFacts MemberFactsFor(MemberInfo? member) => member is null ? new MemberFacts() : new MemberFacts
    {
        AuthorRightsYearToDate = member.AuthorRightsYearToDate,
        HasArtistAttestation = member.HasArtistAttestation,
        Age = member.Age ?? 0,
        ProfessionalIncomeYearToDate = member.ProfessionalIncomeYearToDate ?? 0m,
    };

    /// <summary>One EN 16931 VAT group: same treatment and rate, and same category and exemption (a disbursement and an export are both 0 %).</summary>
    private static bool SameVatGroup(LineEvaluation a, LineEvaluation b) =>
        a.VatTreatment == b.VatTreatment && a.VatRate == b.VatRate && a.VatCategory == b.VatCategory && a.VatExemptionCode == b.VatExemptionCode
        && a.Natura == b.Natura;

    private static IssuingEntity? IssuerNamed(PluginManifest manifest, string id)
    {
        foreach (var issuer in manifest.Issuers)
            if (issuer.Id == id) return issuer;
        return null;
    }

    private static int DayNumber(DateOnly date) => date.Year * 10000 + date.Month * 100 + date.Day;

    private static Outcome<T> Invalid<T>(string field, string message) where T : class =>
        Outcome<T>.Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static readonly LineFacts EmptyLine = new();
    private static readonly ClientFacts EmptyClient = new();
    private static readonly IssuerFacts EmptyIssuer = new();
    private static readonly ContractFacts EmptyContract = new();
    private static readonly ExpenseFacts EmptyExpense = new();

    private sealed record Facts(DocumentFacts Doc, ClientFacts Client, IssuerFacts Issuer, MemberFacts Member, ContractFacts Contract)
    {
        public ExpenseFacts Expense { get; init; } = EmptyExpense;
    }

    /// <summary>One evaluation's working state: what it used, fired and must print.</summary>
    private sealed class Run(PluginManifest manifest, DateOnly date, bool explain, int lines = 0, int slots = 0) : IDisposable
    {
        // The argument array goes back to its thread when the evaluation ends: rules never keep it (expressions are
        // pure, the trace copies what it shows), and each evaluation writes every slot it reads before reading it.
        [ThreadStatic] private static object?[]? spare;

        // A trace has an entry per line and per topic: sized once, and not at all when no one asked for it.
        public List<TraceEntry> Trace { get; } = new(explain ? lines + 4 : 0);
        public List<RuleSetUsed> Used { get; } = new(4);
        public List<string> Mentions { get; } = new(4);
        public List<UnconfirmedValue> Unconfirmed { get; } = [];
        // One argument array for every topic of the document, grown to the largest: each topic fills its facts and
        // parameters before reading, and reads only the globals and locals it has just computed.
        private object?[] args = Take(slots);

        private static object?[] Take(int slots)
        {
            var array = spare;
            if (array is null || array.Length < slots) return new object?[slots];
            spare = null;
            return array;
        }

        // By reference: each rule set has one such entry, and a record's own Equals compares every field.
        private bool UsedAlready(RuleSetUsed used)
        {
            foreach (var entry in Used)
                if (ReferenceEquals(entry, used)) return true;
            return false;
        }

        /// <summary>Hands the argument array back, emptied so that it keeps no document alive.</summary>
        public void Dispose()
        {
            Array.Clear(args);
            spare = args;
        }

        /// <summary>The date whose rules and parameters apply: the document's, or another one for a topic that says so (a due date).</summary>
        public DateOnly Date { get => date; set => date = value; }

        public decimal Round(decimal amount) => Math.Round(amount, manifest.MinorUnit, MidpointRounding.AwayFromZero);

        public object?[] Arguments(CompiledRuleSet set, Facts facts)
        {
            if (args.Length < set.SlotCount) args = new object?[set.SlotCount];
            args[FactSlots.Doc] = facts.Doc;
            args[FactSlots.Line] = EmptyLine;
            args[FactSlots.Client] = facts.Client;
            args[FactSlots.Issuer] = facts.Issuer;
            args[FactSlots.Member] = facts.Member;
            args[FactSlots.Contract] = facts.Contract;
            args[FactSlots.Expense] = facts.Expense;
            var period = set.PeriodOn(date);
            Array.Copy(period.Values, 0, args, set.FirstParameterSlot, period.Values.Length);
            if (!UsedAlready(set.Used)) Used.Add(set.Used);
            return args;
        }

        /// <summary>Runs the rules in order and returns the first that holds, with its value; records it in the trace.</summary>
        public (CompiledRule Rule, object? Value)? Fire(CompiledRuleSet set, object?[] args, int? line)
        {
            // Where it runs, as a position over globals then rules: the failing one is named only on the failure path.
            var at = 0;
            try
            {
                var globals = set.Globals;
                for (; at < globals.Length; at++) args[globals[at].Slot] = globals[at].Expression.Run(args!);
                var rules = set.Rules;
                for (var r = 0; r < rules.Length; r++, at++)
                {
                    var rule = rules[r];
                    if (!rule.InForceOn(date)) continue;
                    // Expressions are pure, so a condition that reads no local param can run first and spare the
                    // locals of every rule that does not fire; the result is the same as RulesEngine's order.
                    if (rule.ConditionReadsLocals)
                    {
                        foreach (var local in rule.Locals) args[local.Slot] = local.Expression.Run(args!);
                        if (!rule.Condition.Test!(args!)) continue;
                    }
                    else
                    {
                        if (!rule.Condition.Test!(args!)) continue;
                        foreach (var local in rule.Locals) args[local.Slot] = local.Expression.Run(args!);
                    }
                    var value = rule.Output?.Run(args!);
                    Record(set, args, rule, value, line);
                    return (rule, value);
                }
                return null;
            }
            catch (Exception e) when (e is not RuleFailedException)
            {
                // A rule that throws (a division by zero, a text too short) or exceeds its budget fails this document, named.
                throw new RuleFailedException(set.Id, NameAt(set, at), e);
            }
        }

        private static string NameAt(CompiledRuleSet set, int at) =>
            at < set.Globals.Length ? set.Globals[at].Name
            : at - set.Globals.Length < set.Rules.Length ? set.Rules[at - set.Globals.Length].Name
            : "GlobalParams";

        private void Record(CompiledRuleSet set, object?[] args, CompiledRule rule, object? value, int? line)
        {
            var unconfirmed = set.PeriodOn(date).Unconfirmed;
            foreach (var slot in rule.ParameterSlots)
                if (unconfirmed[slot - set.FirstParameterSlot] is { } noted) Note(noted);
            if (!explain) return;
            var values = new object?[rule.TraceNames.Length];
            var n = 0;
            foreach (var slot in rule.ParameterSlots) values[n++] = args[slot];
            foreach (var global in set.Globals) values[n++] = args[global.Slot];
            foreach (var local in rule.Locals) values[n++] = args[local.Slot];
            if (rule.Output is not null) values[n] = value;
            Trace.Add(new TraceEntry(set.Id, rule.Name, line, rule.Detail, new TraceValues(rule.TraceNames, values), rule.SourceText));
        }

        private void Note(UnconfirmedValue unconfirmed)
        {
            foreach (var noted in Unconfirmed)
                if (noted.Ruleset == unconfirmed.Ruleset && noted.Parameter == unconfirmed.Parameter) return;
            Unconfirmed.Add(unconfirmed);
        }

        /// <summary>A text parameter's value on the document's date, noting it when unconfirmed; not added to the mentions.</summary>
        public string? Text(CompiledRuleSet set, object?[] args, int index)
        {
            if (set.PeriodOn(date).Unconfirmed[index] is { } unconfirmed) Note(unconfirmed);
            return args[set.FirstParameterSlot + index] as string;
        }

        public string? Mention(CompiledRuleSet set, object?[] args, CompiledRule rule)
        {
            if (rule.MentionIndex < 0) return null;
            var text = Text(set, args, rule.MentionIndex);
            if (!string.IsNullOrEmpty(text) && !Mentions.Contains(text)) Mentions.Add(text);
            return text;
        }

        public static object? Lookup(object?[] args, CompiledRule rule, string name) =>
            rule.ResultSlots.TryGetValue(name, out var slot) ? args[slot] : null;

        public decimal Result(CompiledRuleSet set, object?[] args, CompiledRule rule, string name) =>
            Decimal(Lookup(args, rule, name), set, rule);

        public decimal? OptionalResult(CompiledRuleSet set, object?[] args, CompiledRule rule, string name) =>
            Lookup(args, rule, name) is { } value ? Decimal(value, set, rule) : null;

        public decimal Decimal(object? value, CompiledRuleSet set, CompiledRule rule) => value switch
        {
            decimal d => d,
            int i => i,
            long l => l,
            double d => (decimal)d,
            _ => throw new RuleFailedException(set.Id, rule.Name, new InvalidOperationException($"it gave '{value}', not a number")),
        };
    }
}
