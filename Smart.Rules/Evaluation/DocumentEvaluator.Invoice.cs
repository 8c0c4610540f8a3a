using Smart.Rules.Plugins;
using Smart.Rules.RuleSets;

namespace Smart.Rules.Evaluation;

public sealed partial class DocumentEvaluator
{
    /// <summary>What every invoice of a country is evaluated with: its rules, the VAT and contribution rule sets in force, the issuer.</summary>
    private readonly record struct InvoiceScope(CountryRules Country, CompiledRuleSet Vat, CompiledRuleSet Contribution, IssuingEntity Issuer)
    {
        public PluginManifest Manifest => Country.Plugin.Manifest;
    }

    private Outcome<InvoiceEvaluation> Invoice(InvoiceDocument invoice, bool explain, bool latePayment)
    {
        var errors = DocumentValidation.Problems(invoice);
        if (errors is not null) return Outcome<InvoiceEvaluation>.Invalid(errors);
        if (ScopeOf(invoice, out var scope) is { } refused) return refused;
        using var run = new Run(scope.Manifest, invoice.Date, explain, invoice.Lines.Count, scope.Country.SlotCount);
        var client = ClientFactsFor(run.NewClientFacts(), invoice.Client, scope.Manifest.Country, invoice.Date, ref errors);
        if (errors is not null) return Outcome<InvoiceEvaluation>.Invalid(errors);

        var facts = InvoiceFacts(run, invoice, scope.Manifest, scope.Issuer, client);
        var lines = VatLines(run, scope.Vat, invoice, facts, out var uncoveredLine);
        if (lines is null)
            return Outcome<InvoiceEvaluation>.Uncovered($"lines[{uncoveredLine}]", $"no rule of {scope.Vat.Id} {scope.Vat.Version} applies to this line");
        var (breakdown, vatTotal) = VatBreakdown(run, lines, facts.Doc);
        // The topics after VAT see what the client owes.
        (facts.Doc.Vat, facts.Doc.Gross) = (vatTotal, facts.Doc.Net + vatTotal);
        var contribution = Contribution(run, scope.Contribution, facts);
        if (contribution is null)
            return Invalid<InvoiceEvaluation>("serviceLevel", $"no rule of {scope.Contribution.Id} {scope.Contribution.Version} applies to service level '{facts.Doc.ServiceLevel}'");
        // The topics a country may have, in the order their mentions print.
        var authorRights = AuthorRights(run, scope.Country, invoice.Date, facts);
        var latePaymentTerms = latePayment ? LatePayment(run, scope.Country, invoice.DueDate ?? invoice.Date, facts) : null;
        var stampDuty = StampDuty(run, scope.Country, invoice.Date, facts);

        return Outcome<InvoiceEvaluation>.Success(new InvoiceEvaluation
        {
            Country = scope.Manifest.Country,
            Currency = scope.Manifest.Currency,
            Date = invoice.Date,
            Issuer = scope.Issuer.Id,
            Lines = lines,
            Totals = new Totals(facts.Doc.Net, vatTotal, facts.Doc.Net + vatTotal),
            VatBreakdown = breakdown,
            Contribution = contribution,
            AuthorRights = authorRights,
            LatePayment = latePaymentTerms,
            StampDuty = stampDuty,
            Mentions = run.Mentions,
            Rulesets = run.Used,
            Trace = run.Trace,
            Unconfirmed = run.Unconfirmed,
        });
    }

    /// <summary>The invoice's country, its VAT and contribution rule sets in force and its issuer; an outcome saying which is missing otherwise.</summary>
    private Outcome<InvoiceEvaluation>? ScopeOf(InvoiceDocument invoice, out InvoiceScope scope)
    {
        scope = default;
        var country = book.Country(invoice.Country);
        if (country is null) return Outcome<InvoiceEvaluation>.Uncovered("country", $"no rule set covers country '{invoice.Country}'");
        var vatSet = country.Find(Topics.Vat, invoice.Date);
        if (vatSet is null) return NotInForce<InvoiceEvaluation>(country, Topics.Vat, invoice.Date);
        var contributionSet = country.Find(Topics.Contribution, invoice.Date);
        if (contributionSet is null) return NotInForce<InvoiceEvaluation>(country, Topics.Contribution, invoice.Date);
        var manifest = country.Plugin.Manifest;
        var issuer = invoice.Issuer is null ? manifest.DefaultIssuer : IssuerNamed(manifest, invoice.Issuer);
        if (issuer is null)
            return Invalid<InvoiceEvaluation>("issuer", $"'{invoice.Issuer}' is not an issuing entity of {manifest.Country}: {string.Join(", ", manifest.Issuers.Select(i => i.Id))}");
        scope = new(country, vatSet, contributionSet, issuer);
        return null;
    }

    private static Facts InvoiceFacts(Run run, InvoiceDocument invoice, PluginManifest manifest, IssuingEntity issuer, ClientFacts client)
    {
        var doc = run.NewDocumentFacts();
        (doc.Country, doc.Year, doc.Day, doc.ServiceLevel, doc.Kind, doc.LineCount) =
            (manifest.Country, invoice.Date.Year, DayNumber(invoice.Date), invoice.ServiceLevel ?? "standard", "invoice", invoice.Lines.Count);
        var issuerFacts = run.NewIssuerFacts();
        (issuerFacts.Id, issuerFacts.RecognisedTrainingBody) = (issuer.Id, issuer.RecognisedTrainingBody);
        return new(doc, client, issuerFacts, MemberFactsFor(run.NewMemberFacts(), invoice.Member), EmptyContract);
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
        var lineFacts = run.NewLineFacts();
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

    /// <summary>The cooperative's contribution on the turnover (the net without disbursements); null when no rule applies to the service level.</summary>
    private static ContributionResult? Contribution(Run run, CompiledRuleSet set, Facts facts)
    {
        var basis = facts.Doc.TurnoverNet;
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null; // an unknown service level must not silently cost the cooperative its contribution
        var rate = run.Decimal(fired.Value.Value, set, fired.Value.Rule);
        run.Mention(set, args, fired.Value.Rule);
        return new ContributionResult(rate, basis, run.Round(basis * rate));
    }

    /// <summary>The withholding on the invoice's author rights, where it has some and the country has author-rights rules.</summary>
    private static AuthorRightsResult? AuthorRights(Run run, CountryRules country, DateOnly date, Facts facts)
    {
        if (facts.Doc.AuthorRightsNet <= 0 || country.Find(Topics.AuthorRights, date) is not { } set) return null;
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null;
        var rule = fired.Value.Rule;
        var amount = facts.Doc.AuthorRightsNet;
        var yearToDate = facts.Member.AuthorRightsYearToDate;
        // A share cap (Belgium's 70/30) turns the excess into professional income: the ceiling concerns the rest only.
        var aboveShareCap = Math.Clamp(run.Round(run.OptionalResult(set, args, rule, NamedResult.AboveShareCap) ?? 0m), 0m, amount);
        var eligible = amount - aboveShareCap;
        // No "ceiling" result means the country's regime has none (Italy): everything is within it.
        var ceiling = run.OptionalResult(set, args, rule, NamedResult.Ceiling);
        run.Mention(set, args, rule);
        return new AuthorRightsResult(
            amount, yearToDate, ceiling, ceiling is null || yearToDate + eligible <= ceiling,
            run.Result(set, args, rule, NamedResult.WithholdingRate),
            run.Round(run.Decimal(fired.Value.Value, set, rule)),
            run.Round(run.OptionalResult(set, args, rule, NamedResult.LumpSumDeduction) ?? 0m),
            ceiling is null ? 0m : Math.Min(eligible, Math.Max(0m, yearToDate + eligible - ceiling.Value)))
        {
            AboveShareCap = aboveShareCap,
        };
    }

    private static StampDutyResult? StampDuty(Run run, CountryRules country, DateOnly date, Facts facts)
    {
        if (country.Find(Topics.StampDuty, date) is not { } set) return null;
        var args = run.Arguments(set, facts);
        var fired = run.Fire(set, args, null);
        if (fired is null) return null;
        var mention = run.Mention(set, args, fired.Value.Rule);
        return new StampDutyResult(run.Round(run.Decimal(fired.Value.Value, set, fired.Value.Rule)), facts.Doc.NonVatNet) { Mention = mention };
    }

    /// <summary>Late-payment terms: statutory interest is the rate in force on the due date, not on the invoice date.</summary>
    private static LatePaymentTerms? LatePayment(Run run, CountryRules country, DateOnly dueDate, Facts facts)
    {
        if (country.Find(Topics.LatePayment, dueDate) is not { } set) return null;
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
        var days = Run.Lookup(args, rule, NamedResult.ReminderDays) as decimal[] ?? [];
        run.Mention(set, args, rule);
        var penaltyCap = run.OptionalResult(set, args, rule, NamedResult.PenaltyCap);
        return new LatePaymentTerms(run.Decimal(fired.Value.Value, set, rule), run.Result(set, args, rule, NamedResult.FlatCompensation),
            Array.ConvertAll(days, d => (int)d))
        {
            PenaltyCap = penaltyCap is null ? null : run.Round(penaltyCap.Value),
        };
    }

    private ClientFacts ClientFactsFor(ClientFacts facts, ClientInfo client, string issuerCountry, DateOnly date, ref Dictionary<string, string[]>? errors)
    {
        var country = client.Country.Length == 2 && char.IsAsciiLetterUpper(client.Country[0]) && char.IsAsciiLetterUpper(client.Country[1])
            ? client.Country : client.Country.ToUpperInvariant();
        var inEu = EuropeanUnion.IsMember(country, date);
        facts.Kind = client.Kind;
        facts.Country = country;
        facts.VatNumber = client.VatNumber ?? "";
        facts.HasVatNumber = !string.IsNullOrWhiteSpace(client.VatNumber);
        facts.Domestic = country == issuerCountry;
        facts.OtherEu = country != issuerCountry && inEu;
        facts.OutsideEu = !inEu;
        facts.PublicBody = client.Kind == "public";
        facts.NonProfit = client.Kind == "nonprofit";
        facts.LegalForm = client.LegalForm ?? "";
        if (facts.HasVatNumber && book.Plugins.Find(country)?.Plugin.Validators.GetValueOrDefault(IdentifierKind.VatNumber) is { } validator)
        {
            var check = validator.Check(client.VatNumber!);
            if (!check.IsValid) (errors ??= [])["client.vatNumber"] = [$"'{client.VatNumber}' is not a valid {country} VAT number: {check.Problem}"];
            facts.VatNumberValid = check.IsValid;
        }
        if (client.LegalForm is { Length: > 0 } code && book.Find(country, Topics.LegalForms, date) is { } forms)
        {
            if (!forms.LegalForms.TryGetValue(code, out var form))
                (errors ??= [])["client.legalForm"] = [$"'{code}' is not a legal form of {country}: {string.Join(", ", forms.File.Entries.Select(e => e.Code))}"];
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

}
