using System.Globalization;
using MediatR;
using Smart.Rules.RuleSets;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;

namespace Smart.Web.Pages.Clients;

/// <summary>A legal form as the client pages offer it: its code, its name in the user's language, and whether it implies a VAT number.</summary>
public sealed record LegalFormChoice(string Country, string Code, string Name, bool VatRegistered, string? ReplacedBy)
{
    /// <summary>
    /// The language of <see cref="Name"/> when the rule set has none in the user's language (English, or the country's own): the
    /// option says so (<c>lang</c>), and the translation belongs in the country's legal-forms rule file.
    /// </summary>
    public string? NameLanguage { get; init; }

    public string Label => Name.Length == 0 ? Code : $"{Code} – {Name}";
}

/// <summary>A country's legal forms come from its legal-forms rule set in force on the day, never from code.</summary>
public static class ClientLegalForms
{
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static LegalFormEntry? Find(RuleBook book, string country, DateOnly date, string code) =>
        book.Find(country, Topics.LegalForms, date)?.File.Entries
            .FirstOrDefault(e => string.Equals(e.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The forms of a country in force on the day, current ones first; none when the country has no legal-forms rule set.</summary>
    public static IReadOnlyList<LegalFormChoice> For(RuleBook book, string country, DateOnly date) =>
        (book.Find(country, Topics.LegalForms, date)?.File.Entries ?? [])
            .Select(e => Choice(country, e))
            .OrderBy(c => c.ReplacedBy is not null).ThenBy(c => c.Code, StringComparer.OrdinalIgnoreCase)
            .ToList();

    public static LegalFormChoice Choice(string country, LegalFormEntry entry) =>
        new(CountryCode.Normalise(country), entry.Code, NameOf(entry), entry.VatRegistered, entry.ReplacedBy) { NameLanguage = FallbackLanguageOf(entry) };

    /// <summary>The language <see cref="NameOf"/> falls back to, or null when the rule set names the form in the user's language.</summary>
    public static string? FallbackLanguageOf(LegalFormEntry entry)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        if (entry.Names.ContainsKey(language)) return null;
        return entry.Names.ContainsKey("en") ? "en" : entry.Names.Keys.FirstOrDefault();
    }

    /// <summary>The name in the user's language when the rule set gives one, else English, else the first (local) name.</summary>
    public static string NameOf(LegalFormEntry entry)
    {
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        return entry.Names.GetValueOrDefault(language) ?? entry.Names.GetValueOrDefault("en") ?? entry.Names.Values.FirstOrDefault() ?? "";
    }
}

public static class ClientKindCodes
{
    /// <summary>The kind as the evaluation API and the CSV write it: business, individual, public, nonprofit.</summary>
    public static string Code(this ClientKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>What the legal-form select shows: the chosen country (its group only, once chosen) and the chosen code.</summary>
public sealed record LegalFormOptions(string? Country, string? Code);

/// <summary>The legal forms the client pages offer: one group per country the user sees, the forms in force today.</summary>
public sealed record LegalFormChoices(IReadOnlyList<LegalFormChoices.Group> Countries)
{
    public sealed record Group(string Country, IReadOnlyList<LegalFormChoice> Forms);

    public sealed record Query : IRequest<LegalFormChoices>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class Handler(RuleBook rules, CurrentUser user, TimeProvider clock) : IRequestHandler<Query, LegalFormChoices>
    {
        public Task<LegalFormChoices> Handle(Query query, CancellationToken cancellationToken)
        {
            var today = ClientLegalForms.Today(clock);
            return Task.FromResult(new LegalFormChoices(user.VisibleCountries
                .Select(country => new Group(country, ClientLegalForms.For(rules, country, today)))
                .Where(group => group.Forms.Count > 0).ToList()));
        }
    }
}
