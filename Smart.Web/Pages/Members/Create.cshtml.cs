using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Smart.Rules.Plugins;
using Smart.Web.Behaviours;
using Smart.Web.Localization;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.Members;

namespace Smart.Web.Pages.Members;

public class CreateModel(IMediator mediator, IStringLocalizerFactory localizers) : PageModel
{
    [BindProperty] public Command Data { get; set; } = new();

    public async Task OnGetAsync() => Data = await mediator.Send(new Blank());

    public async Task<IActionResult> OnPostAsync()
    {
        var created = await mediator.Send(Data);
        TempData["Message"] = PageResources.For(typeof(CreateModel), localizers)["Member {0} created.", created.Name].Value;
        return RedirectToPage("Details", new { id = created.Id });
    }

    /// <summary>An empty form, its country chosen when the user sees only one.</summary>
    public sealed record Blank : IRequest<Command>, IRequireRole
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class BlankHandler(CurrentUser user) : IRequestHandler<Blank, Command>
    {
        public Task<Command> Handle(Blank request, CancellationToken cancellationToken) =>
            Task.FromResult(new Command { Country = user.VisibleCountries is [var only] ? only : "" });
    }

    public sealed class Command : MemberFields, IRequest<Member>, IRequireRole, ICountryScoped
    {
        IReadOnlyList<string> IRequireRole.Roles => SmartRoles.MemberWork;
    }

    public sealed class Handler(IMemberStore members, PluginCatalog plugins, CurrentUser user, IStringLocalizerFactory localizers)
        : IRequestHandler<Command, Member>
    {
        public async Task<Member> Handle(Command command, CancellationToken cancellationToken)
        {
            var member = command.ToMember(null, plugins);
            await MemberDuplicates.RefuseAsync<Command>(members, member, localizers, cancellationToken);
            return await members.AddAsync(member, new AuditActor(user.Email), cancellationToken);
        }
    }
}

/// <summary>A national number is one person's: a second member of the same country with it is refused on the field.</summary>
internal static class MemberDuplicates
{
    public static async Task RefuseAsync<TCommand>(IMemberStore members, Member member, IStringLocalizerFactory localizers, CancellationToken cancellationToken)
    {
        if (member.NationalNumber is null) return;
        var holder = await members.FindByNationalNumberAsync(member.Country, member.NationalNumber, cancellationToken);
        if (holder is not null && holder.Id != member.Id)
            throw RequestValidationException.For<TCommand>(nameof(MemberFields.NationalNumber),
                PageResources.For(typeof(IndexModel), localizers)["Another member of this country already has this national number."]);
    }
}
