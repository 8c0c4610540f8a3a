using System.ComponentModel.DataAnnotations;
using System.Text;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Newtonsoft.Json.Linq;
using Smart.Rules.RuleSets;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// A rule file from outside (an exported version, a file written in an editor) becomes a draft of the rule set its country and file
/// name name; it is then checked, submitted and approved like any other draft, so nothing imported applies unseen.
/// </summary>
[Authorize(Roles = $"{SmartRoles.ComplianceOfficer},{SmartRoles.PartnerAdmin}")]
public class ImportModel(IMediator mediator) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var draft = await mediator.Send(Data);
        return RedirectToPage("Version", new { id = draft.Id });
    }

    public sealed class Command : IRequest<RuleSetVersion>, IRequireRole
    {
        [Required(ErrorMessage = "Choose a rule file."), Display(Name = "Rule file")]
        public IFormFile? File { get; set; }
        IReadOnlyList<string> IRequireRole.Roles => RuleSetAccess.Editors;
    }

    public const int MaxFileBytes = Smart.Rules.Evaluation.RuleLimits.FileCharacters;

    public sealed class Handler(IRuleSetStore store, CurrentUser user, IStringLocalizerFactory localizers) : IRequestHandler<Command, RuleSetVersion>
    {
        public async Task<RuleSetVersion> Handle(Command command, CancellationToken cancellationToken)
        {
            var texts = PageResources.For(typeof(ImportModel), localizers);
            RequestValidationException Refused(string message) => RequestValidationException.For<Command>(nameof(Command.File), message);
            var file = command.File!;
            if (file.Length > MaxFileBytes) throw Refused(texts["A rule file is at most 250 kB."]);
            string text;
            using (var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, throwOnInvalidBytes: true)))
            {
                try { text = await reader.ReadToEndAsync(cancellationToken); }
                catch (DecoderFallbackException) { throw Refused(texts["The file is not UTF-8 text."]); }
            }

            // Only the identity is read here; everything else is checked on the draft's page and again on submission.
            JObject json;
            try { json = JObject.Parse(text); }
            catch (Newtonsoft.Json.JsonReaderException e) { throw Refused($"{texts["The file is not valid JSON"]} (line {e.LineNumber}): {e.Message}"); }
            var country = CountryCode.Normalise(json.Value<string>("country") ?? "");
            var topic = (json.Value<string>("topic") ?? "").Trim();
            if (country.Length != 2) throw Refused(texts["The file names no country (\"country\": \"BE\")."]);
            if (!Topics.All.Contains(topic)) throw Refused($"{texts["The file names no known topic"]}: {string.Join(", ", Topics.All)}.");
            if (!user.CanSee(country) || !RuleSetAccess.MayEdit(user, country)) throw Refused($"{texts["You may not change the rule sets of"]} {country}.");

            var fileName = Path.GetFileName(file.FileName);
            if (!fileName.StartsWith(topic, StringComparison.Ordinal) || !fileName.EndsWith(".json", StringComparison.Ordinal)) fileName = topic + ".json";
            var key = RuleSource.KeyOf(country, fileName);
            var inForce = await store.InForceAsync(key, cancellationToken);
            if (inForce is null && RuleSetAccess.EditsValuesOnly(user)) throw Refused(texts["Only a compliance officer may add a new rule set."]);
            return await store.AddDraftAsync(key, country, topic, text, inForce?.Id, new AuditActor(user.Email), cancellationToken);
        }
    }
}
