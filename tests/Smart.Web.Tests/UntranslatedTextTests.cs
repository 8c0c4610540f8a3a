using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Xunit.Abstractions;

using Smart.Web.Storage.Audit;

namespace Smart.Web.Tests;

/// <summary>
/// Every GET page of the app, found from its Razor page endpoints, walked by each demo role in French and in Dutch on the demo
/// documents: no text a localizer did not find (a resource key or English text shown as is), no framework type name, no English
/// framework message and no English text of the app's own resources may show. Route ids are filled with real records, read
/// from the links of the pages already walked.
/// </summary>
public partial class UntranslatedTextTests(UntranslatedTextTests.DemoApp demo, ITestOutputHelper output) : IClassFixture<UntranslatedTextTests.DemoApp>
{
    public sealed class DemoApp : IDisposable
    {
        private readonly SmartWebFactory factory = SmartWebFactory.WithSettings(SmartWebFactory.DemoDocuments);

        public DemoApp() =>
            App = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            {
                var inner = services.Last(s => s.ServiceType == typeof(IStringLocalizerFactory));
                services.RemoveAll<IStringLocalizerFactory>();
                services.AddSingleton<IStringLocalizerFactory>(sp => new RecordingLocalizerFactory(
                    (IStringLocalizerFactory)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!), Lookups));
            }));

        public WebApplicationFactory<Program> App { get; }

        /// <summary>Every text looked up in French or Dutch since the last drain: its name and whether a resource held it.</summary>
        public ConcurrentQueue<(string Name, bool Found)> Lookups { get; } = new();

        public void Dispose()
        {
            App.Dispose();
            factory.Dispose();
        }
    }

    private const string Admin = "admin@smart.coop", Staff = "staff@smart.coop", PartnerFr = "partner.fr@smart.coop",
        PartnerIt = "partner.it@smart.coop", Compliance = "compliance@smart.coop", Approver = "approver@smart.coop";

    /// <summary>Pages that are not screens: downloads, the sign-out and language actions, the status page re-executed for errors.</summary>
    private static readonly string[] NotScreens = ["/Account/SignOut", "/Account/Language", "/status/{code:int}"];

    /// <summary>English that only the framework or an untranslated source writes.</summary>
    private static readonly string[] EnglishPhrases =
    [
        "Microsoft.AspNetCore", "LocalizedHtmlString", "LocalizedString", "System.Collections", "Smart.Web.", "Smart.Rules.",
        "is not valid for", "is required", "The field ", "The value '", "must be a number", "A value for the", "is invalid",
        "NOT FOUND", "Unknown", "n/a",
    ];

    /// <summary>
    /// The app's codes and statuses, which a page must name in the reader's language, not show as stored: the shared codes of
    /// documents (Smart.Rules) and the statuses of the app's records (their enum members), as whole words; a few that are also
    /// French or Dutch words ("service", "standard", "training", "Active", "Public") are left out.
    /// </summary>
    private static readonly string[] Codes =
    [
        .. Smart.Rules.Evaluation.Categories.All, .. Smart.Rules.RuleSets.Topics.VatTreatments, .. Smart.Rules.Evaluation.ClientKinds.All,
        .. Smart.Rules.Evaluation.JobCategories.All,
        .. typeof(Program).Assembly.GetTypes()
            .Where(t => t.IsEnum && t.IsPublic && !t.Name.EndsWith("Sort", StringComparison.Ordinal)
                        && t.Namespace is { } space
                        && (space.StartsWith("Smart.Web.Storage", StringComparison.Ordinal)
                            || space is "Smart.Web.BankStatements" or "Smart.Web.Budget" or "Smart.Web.Reevaluation" or "Smart.Web.Simulations"
                                or "Smart.Web.Reminders" or "Smart.Web.EInvoicing"))
            .SelectMany(Enum.GetNames),
    ];

    private static readonly HashSet<string> CodesThatAreWords = new(StringComparer.Ordinal)
    {
        "service", "standard", "training", "public", "Active", "Public", "Create", "Update", "Person", "Reference", "Contract",
    };


    public static TheoryData<string> Cultures() => new() { "fr-BE", "nl-BE" };

    [Theory]
    [MemberData(nameof(Cultures))]
    public async Task Every_page_of_every_role_is_in_the_chosen_language(string culture)
    {
        var english = EnglishOfResources(culture[..2]);
        var templates = PageTemplates();
        var problems = new List<string>();
        var walked = new HashSet<string>(StringComparer.Ordinal);
        var screens = new List<string>();
        var started = await StartDraftAsync();
        await StartJobAsync();
        var starts = await StartLinksAsync();
        starts.AddRange(started);
        foreach (var account in new[] { Admin, Staff, PartnerFr, PartnerIt, Compliance, Approver })
        {
            using var browser = await Browser.SignedInAsync(demo.App, account);
            browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
            var links = starts.ToList();
            var tried = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            // A page is walked once as linked without a query and once with one (a unit's "new invoice": /Invoices/Create?unit=3).
            var shapes = templates.ToDictionary(t => t, _ => new HashSet<bool>());
            var tries = templates.ToDictionary(t => t, _ => 0);
            for (var progress = true; progress;)
            {
                progress = false;
                foreach (var template in templates)
                {
                    if (tries[template] >= 4) continue;
                    // A record page is walked on each record the walk starts from (a draft and an overdue invoice), once on others.
                    var url = Candidates(template, links).FirstOrDefault(u => !tried.Contains(u) && (!shapes[template].Contains(u.Contains('?')) || starts.Contains(u)));
                    if (url is null) continue;
                    tried.Add(url);
                    tries[template]++;
                    progress = true;
                    var (answered, page) = await FetchAsync(browser, url, account, problems);
                    if (!answered) continue;
                    shapes[template].Add(url.Contains('?'));
                    walked.Add(template);
                    if (page is null) continue;
                    screens.Add(url);
                    links.AddRange(page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).Where(h => h.StartsWith('/')));
                    problems.AddRange(Untranslated(page, english).Select(text => $"{account} {url}: \"{text}\""));
                }
            }
        }
        var never = templates.Where(t => !walked.Contains(t)).ToList();
        output.WriteLine($"{culture}: {screens.Count} screens walked, {walked.Count} of {templates.Count} pages reached");
        if (never.Count > 0) problems.Add("Pages no role could reach (no link to a record, or refused to all): " + string.Join(", ", never));
        Assert.True(problems.Count == 0, $"{problems.Count} untranslated texts on {screens.Count} screens of {walked.Count} pages in {culture}:\n" + string.Join("\n", problems.Distinct()));
    }

    public static TheoryData<string, string, string> BadForms() => new()
    {
        { "fr-BE", "/Invoices/Create", "Data.Lines[0].Quantity" },
        { "nl-BE", "/Invoices/Create", "Data.Lines[0].Quantity" },
        { "fr-BE", "/Invoices/Create", "Data.Date" },
        { "nl-BE", "/Invoices/Create", "Data.Date" },
        { "fr-BE", "/Members/Create", "Data.LastName" },
        { "nl-BE", "/Members/Create", "Data.LastName" },
        { "fr-BE", "/Contracts/Create", "Data.StartDate" },
        { "nl-BE", "/Contracts/Create", "Data.StartDate" },
    };

    /// <summary>A word ("deux"), a date that is none ("abc") or an empty required field, refused on the field in the page's language.</summary>
    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task A_bad_value_is_refused_on_its_field_in_the_chosen_language(string culture, string url, string field)
    {
        using var browser = await Browser.SignedInAsync(demo.App, Staff);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        if (url == "/Invoices/Create")
        {
            // The invoice form shows its lines once a production unit is chosen, as from the unit's "new invoice".
            var units = demo.App.Services.GetRequiredService<Smart.Web.Storage.ProductionUnits.IProductionUnitStore>();
            var unit = (await units.SearchAsync(new Smart.Web.Storage.ProductionUnits.ProductionUnitQuery(Smart.Web.Storage.CountryScope.Only("BE"))
            {
                Status = Smart.Web.Storage.ProductionUnits.ProductionUnitStatus.Active, Take = 1,
            })).Rows[0];
            url += "?unit=" + unit.Id.ToString(CultureInfo.InvariantCulture);
        }
        var page = await browser.GetPageAsync(url);
        var form = page.QuerySelector($"form [name='{field}']")?.Closest("form") as IHtmlFormElement;
        Assert.True(form is not null, $"{url} has no form with {field}");
        var value = field.EndsWith("Quantity", StringComparison.Ordinal) ? "deux" : field.EndsWith("Date", StringComparison.Ordinal) ? "abc" : "";
        demo.Lookups.Clear();
        var response = await browser.SubmitAsync(form, (field, value));
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        var refused = await Browser.DocumentAsync(response);
        var message = refused.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim();
        Assert.False(string.IsNullOrEmpty(message), $"No error on {field} after posting '{value}' to {url}");
        var english = EnglishOfResources(culture[..2]);
        Assert.Empty(Untranslated(refused, english));
        Assert.Matches(culture == "fr-BE" ? FrenchWord() : DutchWord(), message);
    }

    /// <summary>A plugin's reason (its validator writes English) comes in the page's language from the plugin's own manifest.</summary>
    [Theory]
    [InlineData("fr-BE", "Les chiffres de contrôle du numéro d’entreprise belge ne correspondent pas.")]
    [InlineData("nl-BE", "De controlecijfers van het Belgische ondernemingsnummer kloppen niet.")]
    public async Task A_plugin_refuses_a_number_in_the_chosen_language(string culture, string expected)
    {
        using var browser = await Browser.SignedInAsync(demo.App, Staff);
        browser.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var form = (await browser.GetPageAsync("/Clients/Create")).Forms["client-form"]!;
        var response = await browser.SubmitAsync(form, ("Data.Country", "BE"), ("Data.Kind", "Business"), ("Data.Name", "Mauvais Numéro SA"),
            ("Data.LegalForm", "SA"), ("Data.VatNumber", "BE0123456788"));
        var message = (await Browser.DocumentAsync(response)).QuerySelector("[data-valmsg-for='Data.VatNumber']")!.TextContent.Trim();
        Assert.EndsWith(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("check digits", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An invoice evaluated with unconfirmed figures (Belgium's 2026 author-rights ceiling) shows staff a short badge in their
    /// language, not the rule file's research notes; a reader of rule sets (an administrator) also gets the link to the rule set.
    /// </summary>
    [Theory]
    [InlineData("fr-BE", "Chiffres non confirmés")]
    [InlineData("nl-BE", "Cijfers niet bevestigd")]
    public async Task Unconfirmed_figures_are_a_short_badge_in_the_chosen_language(string culture, string badge)
    {
        Smart.Web.Storage.Invoices.Invoice? unconfirmed = null;
        await foreach (var invoice in demo.App.Services.GetRequiredService<Smart.Web.Storage.Invoices.IInvoiceStore>()
                           .ExportAsync(new Smart.Web.Storage.Invoices.InvoiceQuery(Smart.Web.Storage.CountryScope.Only("BE"))))
            if (invoice.Evaluation is { Unconfirmed.Count: > 0 })
            {
                unconfirmed = invoice;
                break;
            }
        Assert.True(unconfirmed is not null, "the demo has a Belgian invoice evaluated with an unconfirmed figure");
        var url = FormattableString.Invariant($"/Invoices/Details/{unconfirmed.Id}");

        using var staff = await Browser.SignedInAsync(demo.App, Staff);
        staff.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var page = await staff.GetPageAsync(url);
        Assert.Equal(badge, page.QuerySelector("#unconfirmed .badge")!.TextContent.Trim());
        Assert.DoesNotContain("NOT FOUND", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#unconfirmed a[data-ruleset]"));

        using var admin = await Browser.SignedInAsync(demo.App, Admin);
        admin.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(culture);
        var value = unconfirmed.Evaluation!.Unconfirmed[0];
        var link = (await admin.GetPageAsync(url)).QuerySelector($"#unconfirmed a[data-ruleset='{value.Ruleset}']")!.GetAttribute("href")!;
        var ruleSet = await admin.GetPageAsync(link);
        // The research note stays on the rule set's page, in the rule file's words, beside the unconfirmed value.
        var row = ruleSet.QuerySelector($"[data-parameter='{value.Parameter}'] tr[data-from='{value.From:yyyy-MM-dd}']")!;
        Assert.NotNull(row.QuerySelector("[data-field=value] .badge"));
        Assert.StartsWith(value.Note!, row.QuerySelector("td[lang='en']")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_text_of_the_app_has_its_French_and_Dutch_translation()
    {
        var missing = new List<string>();
        foreach (var neutral in ResourceFiles().Where(f => Language(f) is null))
            foreach (var language in new[] { "fr", "nl" })
            {
                var translated = Path.ChangeExtension(neutral, $".{language}.resx");
                var names = File.Exists(translated) ? Entries(translated).Keys.ToHashSet() : [];
                missing.AddRange(Entries(neutral).Keys.Where(k => !names.Contains(k)).Select(k => $"{Path.GetRelativePath(Repo.Root, translated)}: {k}"));
            }
        Assert.True(missing.Count == 0, "Texts without translation:\n" + string.Join("\n", missing));
    }

    [GeneratedRegex(@"\b(champ|doit|valeur|n'est|n’est|pas|nombre|date|obligatoire|requis|est)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FrenchWord();

    [GeneratedRegex(@"\b(veld|moet|waarde|geen|getal|datum|verplicht|is)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DutchWord();

    /// <summary>GETs a page: answered (not refused, not missing) and, for a screen (HTML), its document, checked for texts no localizer found.</summary>
    private async Task<(bool Answered, IHtmlDocument? Page)> FetchAsync(Browser browser, string url, string account, List<string> problems)
    {
        demo.Lookups.Clear();
        var response = await browser.Client.GetAsync(url);
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest) return (false, null);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            problems.Add($"{account} {url}: answered {(int)response.StatusCode}");
            return (false, null);
        }
        if (response.Content.Headers.ContentType?.MediaType != "text/html") return (true, null);
        var page = await Browser.DocumentAsync(response);
        var lookups = demo.Lookups.ToList();
        var found = lookups.Where(l => l.Found).Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var text = TextOf(page);
        foreach (var name in lookups.Where(l => !l.Found && !found.Contains(l.Name)).Select(l => l.Name).Distinct())
            if (Shown(name, text)) problems.Add($"{account} {url}: no translation for \"{name}\"");
        return (true, page);
    }

    /// <summary>
    /// Links the walk starts from besides the pages themselves: the draft invoices (only a draft links to its editor) and the
    /// page a 3-in-1 job leads to, on a Belgian invoice and contract of the demo.
    /// </summary>
    private async Task<List<string>> StartLinksAsync()
    {
        var belgium = Smart.Web.Storage.CountryScope.Only("BE");
        var invoices = demo.App.Services.GetRequiredService<Smart.Web.Storage.Invoices.IInvoiceStore>();
        async Task<Smart.Web.Storage.Invoices.Invoice> FirstAsync(Smart.Web.Storage.Invoices.InvoiceStatus status) =>
            (await invoices.SearchAsync(new Smart.Web.Storage.Invoices.InvoiceQuery(belgium) { Status = status, Take = 1 })).Rows[0];
        // Only a draft links to its editor, only an overdue invoice to its write-off.
        var links = new List<string>
        {
            FormattableString.Invariant($"/Invoices/Details/{(await FirstAsync(Smart.Web.Storage.Invoices.InvoiceStatus.Draft)).Id}"),
            FormattableString.Invariant($"/Invoices/Details/{(await FirstAsync(Smart.Web.Storage.Invoices.InvoiceStatus.Overdue)).Id}"),
        };
        var contracts = await demo.App.Services.GetRequiredService<Smart.Web.Storage.Contracts.IContractStore>()
            .SearchAsync(new Smart.Web.Storage.Contracts.ContractQuery(belgium) { Take = 1000 });
        if (contracts.Rows.FirstOrDefault(c => c.JobInvoiceId is not null) is { } job)
            links.Add(FormattableString.Invariant($"/ThreeInOne/Created?invoice={job.JobInvoiceId}&contract={job.Id}"));
        return links;
    }

    /// <summary>
    /// A draft of a rule set, so that its version, editor and simulation pages have a record: the demo has only published versions;
    /// a finished impact simulation that changes documents (Belgium's contribution at 7 % from 2030, applied as if in force over the
    /// last year), so that its page lists them with their traces; and a re-evaluation run of Sweden (few documents). Returns the
    /// finished simulation's page.
    /// </summary>
    private async Task<List<string>> StartDraftAsync()
    {
        var links = new List<string>();
        using var compliance = await Browser.SignedInAsync(demo.App, Compliance);
        var rules = await compliance.GetPageAsync("/Rules");
        var ruleSet = await compliance.GetPageAsync(rules.QuerySelector("a[href*='/Rules/RuleSet?']")!.GetAttribute("href")!);
        if (ruleSet.QuerySelector("#new-draft")?.Closest("form") is not IHtmlFormElement form) return links;
        var draft = await compliance.SubmitAsync(form);
        // An impact simulation of the draft and a re-evaluation run, so that their pages have a record too.
        if (draft.Headers.Location?.OriginalString is { } location && Regex.Match(location, @"/Version/(\d+)") is { Success: true } id)
        {
            var start = await compliance.GetPageAsync($"/Rules/Simulations/Start/{id.Groups[1].Value}");
            if (start.Forms["simulation-form"] is { } simulation && start.QuerySelector("#start") is IHtmlButtonElement { IsDisabled: false })
                await compliance.SubmitAsync(simulation);
        }
        var store = demo.App.Services.GetRequiredService<Smart.Web.Storage.RuleSets.IRuleSetStore>();
        var inForce = (await store.HistoryAsync("be/contribution.json")).First(v => v.Status == Smart.Web.Storage.RuleSets.RuleSetVersionStatus.Published);
        var contribution = await store.AddDraftAsync(inForce.Key, inForce.Country, inForce.Topic, Rules.PublicationTests.WithRateFrom(inForce.Text, "2030-01-01", 0.07m),
            inForce.Id, new Smart.Web.Storage.Audit.AuditActor(Compliance));
        var today = DateOnly.FromDateTime(DateTime.Today);
        var simulationForm = (await compliance.GetPageAsync(FormattableString.Invariant($"/Rules/Simulations/Start/{contribution.Id}"))).Forms["simulation-form"]!;
        var simulationId = Rules.SimulationTests.IdOf(await compliance.SubmitAsync(simulationForm,
            ("Data.From", Day(today.AddYears(-1).AddDays(1))), ("Data.To", Day(today)), ("Data.AsIfInForce", "true")));
        Assert.Equal("Done", (await Rules.SimulationTests.FinishedAsync(compliance, simulationId)).GetProperty("status").GetString());
        links.Add(FormattableString.Invariant($"/Rules/Simulations/{simulationId}"));
        links.AddRange(await CorrectionRunAsync());

        var runs = await compliance.GetPageAsync("/Reevaluation");
        await compliance.SubmitAsync(runs.Forms["start-form"]!, ("Data.Reason", "Untranslated-text walk"), ("Data.Country", "SE"));
        return links;
    }

    /// <summary>
    /// A finished since-issue comparison with a member's totals (its page links the correction run's proposal), a correction run done with a
    /// member's statement and a corrective pair, and one proposed (its review form): records of the stores, so that their pages have one.
    /// </summary>
    private async Task<List<string>> CorrectionRunAsync()
    {
        var belgium = Smart.Web.Storage.CountryScope.Only("BE");
        var invoice = (await demo.App.Services.GetRequiredService<Smart.Web.Storage.Invoices.IInvoiceStore>().SearchAsync(
            new Smart.Web.Storage.Invoices.InvoiceQuery(belgium) { Status = Smart.Web.Storage.Invoices.InvoiceStatus.Paid, Take = 1 })).Rows[0];
        var member = (await demo.App.Services.GetRequiredService<Smart.Web.Storage.Members.IMemberStore>().SearchAsync(
            new Smart.Web.Storage.Members.MemberQuery(belgium) { Take = 1 })).Rows[0];
        var version = (await demo.App.Services.GetRequiredService<Smart.Web.Storage.RuleSets.IRuleSetStore>().InForceAsync("be/author-rights.json"))!;
        var figures = new Smart.Web.Simulations.DocumentFigures(1000m, 0m, 1000m, 0.065m, 65m, Withholding: 75m, LumpSum: 500m);
        var comparison = await demo.App.Services.GetRequiredService<Smart.Web.Simulations.ISimulationStore>().AddAsync(new Smart.Web.Simulations.ImpactSimulation
        {
            VersionId = version.Id, Key = version.Key, VersionNumber = version.Number, Country = "BE", DraftText = version.Text, From = invoice.Date, To = invoice.Date,
            StartedBy = Compliance, StartedAtUtc = DateTime.UtcNow, FinishedAtUtc = DateTime.UtcNow, Status = Smart.Web.Simulations.SimulationStatus.Done, Total = 1, Done = 1,
            Affected = 1, Mode = Smart.Web.SinceIssue.SimulationMode.SinceIssue, KnownBefore = version.PublishedAtUtc, Currency = "EUR",
            Members = [new(member.Id, member.Name, invoice.Date.Year, 1, 75m, 70m, 500m, 520m, 0m, 0m, 65m, 65m)],
        });
        var runs = demo.App.Services.GetRequiredService<Smart.Web.Corrections.ICorrectionStore>();
        var done = await runs.AddAsync(new Smart.Web.Corrections.CorrectionRun
        {
            Country = "BE", From = invoice.Date, To = invoice.Date, SourceSimulationId = comparison.Id, VersionId = version.Id, Key = version.Key, VersionNumber = version.Number,
            Reason = "Untranslated-text walk", ProposedBy = Compliance, ProposedAtUtc = DateTime.UtcNow, ReviewedBy = "approver@smart.coop", ReviewedAtUtc = DateTime.UtcNow,
            Status = Smart.Web.Corrections.CorrectionStatus.Done, ComparisonId = comparison.Id, MemberYears = 1, Statements = 1, Invoices = 1, Corrected = 1,
            FinishedAtUtc = DateTime.UtcNow, Currency = "EUR",
        });
        var used = new Smart.Web.Corrections.StatementVersion("be/author-rights", "2026.3", version.Number, version.PublishedAtUtc);
        await runs.TryAddStatementAsync(new Smart.Web.Corrections.RegularisationStatement
        {
            RunId = done.Id, MemberId = member.Id, Member = member.Name, Year = invoice.Date.Year, Country = "BE", Language = "fr", Currency = "EUR", WrittenAtUtc = DateTime.UtcNow,
            Lines = [new(invoice.Id, invoice.Number, invoice.Date, false, figures, figures with { Withholding = 70m, LumpSum = 520m }, [used], [used], DateTime.UtcNow)],
            Citations = [new("be/author-rights", "CIR 92", "art. 17", "https://example.be")],
        });
        await runs.SaveCorrectionAsync(new Smart.Web.Corrections.CorrectiveDocuments
        {
            RunId = done.Id, InvoiceId = invoice.Id, OriginalNumber = invoice.Number, Stage = Smart.Web.Corrections.CorrectionStage.Skipped, Note = "walk",
        });
        var proposed = await runs.AddAsync(done with { Id = 0, Status = Smart.Web.Corrections.CorrectionStatus.Proposed, ReviewedBy = null, ReviewedAtUtc = null, FinishedAtUtc = null });
        return [FormattableString.Invariant($"/Rules/Simulations/{comparison.Id}"), FormattableString.Invariant($"/Rules/Corrections/{done.Id}"),
            FormattableString.Invariant($"/Rules/Corrections/{proposed.Id}")];
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A 3-in-1 job on a Belgian unit of the demo (the demo makes none), so that the page it leads to has a record.</summary>
    private async Task StartJobAsync()
    {
        var belgium = Smart.Web.Storage.CountryScope.Only("BE");
        var unit = (await demo.App.Services.GetRequiredService<Smart.Web.Storage.ProductionUnits.IProductionUnitStore>().SearchAsync(new Smart.Web.Storage.ProductionUnits.ProductionUnitQuery(belgium)
        {
            Status = Smart.Web.Storage.ProductionUnits.ProductionUnitStatus.Active, Take = 1,
        })).Rows[0];
        var client = (await demo.App.Services.GetRequiredService<Smart.Web.Storage.Clients.IClientStore>().SearchAsync(new Smart.Web.Storage.Clients.ClientQuery(belgium)
        {
            Kind = Smart.Web.Storage.Clients.ClientKind.Business, Take = 1,
        })).Rows[0];
        using var staff = await Browser.SignedInAsync(demo.App, Staff);
        var page = await staff.GetPageAsync(FormattableString.Invariant($"/ThreeInOne/Create/{unit.Id}"));
        var today = DateOnly.FromDateTime(DateTime.Today);
        var created = await staff.SubmitWithFilesAsync(page.Forms["job-form"]!, null, new Dictionary<string, (string, byte[])>(),
            ("Data.Invoice.ClientId", client.Id.ToString(CultureInfo.InvariantCulture)), ("Data.Invoice.Date", Day(today)), ("Data.Invoice.DueDate", Day(today.AddDays(30))),
            ("Data.Invoice.Lines[0].Description", "Design"), ("Data.Invoice.Lines[0].Category", "service"), ("Data.Invoice.Lines[0].Quantity", "10"),
            ("Data.Invoice.Lines[0].UnitPrice", "100"),
            ("Data.Contract.JobCategory", "employee"), ("Data.Contract.StartDate", Day(today)), ("Data.Contract.EndDate", Day(today.AddDays(2))),
            ("Data.Contract.Days", "3"), ("Data.Contract.Hours", "24"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
    }

    /// <summary>A text a localizer did not find is shown as its name; one with arguments by its longest fixed part.</summary>
    private static bool Shown(string name, string text)
    {
        var longest = Placeholder().Split(name).OrderByDescending(p => p.Length).First().Trim();
        return longest.Length >= (longest == name.Trim() ? 2 : 8) && Regex.IsMatch(text, $@"(?<![\p{{L}}]){Regex.Escape(longest)}(?![\p{{L}}])");
    }

    /// <summary>
    /// The English a page shows outside what it marks as English (<c>lang="en"</c>: the rule files' own words — descriptions, research
    /// notes such as "NOT FOUND: …", legal sources, tests — kept for the compliance officers as the files write them).
    /// </summary>
    private static IEnumerable<string> Untranslated(IHtmlDocument page, IReadOnlySet<string> english)
    {
        var text = TextOf(page);
        foreach (var phrase in EnglishPhrases.Where(p => text.Contains(p, StringComparison.Ordinal))) yield return Around(text, phrase);
        foreach (var phrase in english.Where(p => AsWord(text, p))) yield return Around(text, phrase);
        foreach (var code in Codes.Distinct().Where(c => !CodesThatAreWords.Contains(c) && AsWord(text, c))) yield return Around(text, code) + " (a code)";
        // Dates as the reader's culture writes them (2/12/2026), not as stored (2026-12-02).
        if (IsoDate().Match(text) is { Success: true } date) yield return Around(text, date.Value) + " (an ISO date)";
    }

    [GeneratedRegex(@"(?<![\w\-/.])20\d\d-[01]\d-[0-3]\d(?![\w\-/.])")]
    private static partial Regex IsoDate();

    /// <summary>The text shows the phrase on its own, not as part of a word, an identifier (employerContributions) or a path (be/author-rights.json).</summary>
    private static bool AsWord(string text, string phrase) =>
        text.Contains(phrase, StringComparison.Ordinal) && Regex.IsMatch(text, $@"(?<![\p{{L}}\-/._:]){Regex.Escape(phrase)}(?![\p{{L}}\-/._:])");

    private static string Around(string text, string phrase)
    {
        var at = text.IndexOf(phrase, StringComparison.Ordinal);
        var start = Math.Max(0, at - 30);
        return $"{phrase}\" in \"…{text[start..Math.Min(text.Length, at + phrase.Length + 30)]}…";
    }

    /// <summary>What a person reads: the title, the body's text without scripts, and the texts of placeholders, tooltips and labels for screen readers.</summary>
    private static string TextOf(IHtmlDocument page)
    {
        foreach (var hidden in page.QuerySelectorAll("script, style, template, body [lang|='en']").ToList()) hidden.Remove();
        var attributes = page.QuerySelectorAll("[placeholder], [title], [aria-label], [alt]")
            .SelectMany(e => new[] { "placeholder", "title", "aria-label", "alt" }.Select(e.GetAttribute)).Where(v => !string.IsNullOrWhiteSpace(v));
        return Regex.Replace(string.Join(" \n ", [page.Title ?? "", page.Body?.TextContent ?? "", .. attributes!]), @"[ \t\r\f\v]+", " ");
    }

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    /// <summary>
    /// The English of every resource text whose translation in this language differs (the key, or the neutral file's value), in
    /// its fixed parts longer than twelve characters: short words are too often the same or part of another word.
    /// </summary>
    private static IReadOnlySet<string> EnglishOfResources(string language)
    {
        var english = new HashSet<string>(StringComparer.Ordinal);
        foreach (var translatedFile in ResourceFiles().Where(f => Language(f) == language))
        {
            var neutralFile = Regex.Replace(translatedFile, $@"\.{language}\.resx$", ".resx");
            var neutral = File.Exists(neutralFile) ? Entries(neutralFile) : [];
            foreach (var (name, translation) in Entries(translatedFile))
            {
                var source = neutral.TryGetValue(name, out var value) ? value : name;
                if (source == translation) continue;
                foreach (var part in Placeholder().Split(source).Select(p => p.Trim()))
                    if (part.Length > 12 && !translation.Contains(part, StringComparison.Ordinal)) english.Add(part);
            }
        }
        return english;
    }

    private static IEnumerable<string> ResourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "Smart.Web", "Resources"), "*.resx", SearchOption.AllDirectories);

    private static string? Language(string file) => Regex.Match(file, @"\.(\w\w)\.resx$") is { Success: true } m ? m.Groups[1].Value : null;

    private static Dictionary<string, string> Entries(string file) =>
        XDocument.Load(file).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")?.Value ?? "");

    /// <summary>Route templates of every Razor page, e.g. "/Invoices/Details/{id:int}", from the app's endpoints.</summary>
    private List<string> PageTemplates() =>
        demo.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(t => !NotScreens.Contains(t, StringComparer.OrdinalIgnoreCase))
            // "/Index" and "/" are one page: keep the shortest route of each.
            .GroupBy(t => t.EndsWith("/Index", StringComparison.Ordinal) ? t[..^"Index".Length] : t)
            .Select(g => g.Key.Length > 1 ? g.Key.TrimEnd('/') : g.Key)
            .Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The template's addresses: as is without parameters, then the links already seen to it (with a query); with parameters, the
    /// links already seen that match it.
    /// </summary>
    private static IEnumerable<string> Candidates(string template, IEnumerable<string> links)
    {
        if (!template.Contains('{'))
            return links.Where(l => l.Split('?')[0].TrimEnd('/').Equals(template.TrimEnd('/'), StringComparison.OrdinalIgnoreCase) && l.Contains('?'))
                .Prepend(template);
        // Templates hold only letters, slashes and parameters: "/ThreeInOne/Create/{unit:int?}", "/Rules/Simulations/{id:int}".
        var pattern = Regex.Replace(Regex.Replace(template, @"/\{[^}]*\?\}", "(/[0-9]+)?"), @"\{[^}]*\}", "[0-9]+");
        pattern = "^" + pattern + @"(\?.*)?$";
        return links.Where(l => Regex.IsMatch(l, pattern, RegexOptions.IgnoreCase));
    }

    private sealed class RecordingLocalizerFactory(IStringLocalizerFactory inner, ConcurrentQueue<(string, bool)> lookups) : IStringLocalizerFactory
    {
        public IStringLocalizer Create(Type resourceSource) => new Recording(inner.Create(resourceSource), lookups);

        public IStringLocalizer Create(string baseName, string location) => new Recording(inner.Create(baseName, location), lookups);
    }

    private sealed class Recording(IStringLocalizer inner, ConcurrentQueue<(string, bool)> lookups) : IStringLocalizer
    {
        public LocalizedString this[string name] => Record(inner[name]);

        public LocalizedString this[string name, params object[] arguments] => Record(inner[name, arguments]);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);

        private LocalizedString Record(LocalizedString text)
        {
            if (CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is "fr" or "nl") lookups.Enqueue((text.Name, !text.ResourceNotFound));
            return text;
        }
    }
}
