using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using System.Net;
using System.Reflection;
using Smart.Web.Storage.Members;

namespace Smart.Web.Tests.Members;

/// <summary>
/// Two saves of one national number at the same instant: both handlers' checks find no holder, the store refuses the second
/// (LiteDB's unique index, PostgreSQL's unique constraint). The loser must see the refusal on the field, not a 500.
/// </summary>
public sealed class DuplicateRaceTests
{
    [Fact]
    public async Task A_national_number_saved_by_another_request_after_the_check_is_refused_on_the_field()
    {
        // The check ran before the other save committed: it saw no holder.
        using var app = new SmartWebFactory();
        using var racing = app.WithWebHostBuilder(host => host.ConfigureTestServices(services =>
            services.Decorate<IMemberStore>(CheckBeforeTheOtherSave.Around)));
        var store = racing.Services.GetRequiredService<IMemberStore>();
        var holder = await HolderAsync(store);
        using var staff = await Browser.SignedInAsync(racing, "staff@smart.coop");
        var form = (await staff.GetPageAsync("/Members/Create")).Forms["member-form"]!;

        var response = await staff.SubmitAsync(form,
        [
            ("Data.FirstName", "Nora"), ("Data.LastName", "Late"), ("Data.Email", "nora.late@example.org"), ("Data.Country", "BE"),
            ("Data.NationalNumber", holder.NationalNumber!), ("Data.BirthDate", holder.BirthDate.ToString("yyyy-MM-dd")),
            ("Data.MemberSince", "2024-03-01"), ("Data.Sector", MemberSectors.Music), ("Data.Office", "Brussels"),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Browser.DocumentAsync(response);
        Assert.Contains("already has this number", page.QuerySelector("[data-valmsg-for='Data.NationalNumber']")!.TextContent);
        Assert.Equal(holder.NationalNumber, (await store.GetAsync(holder.Id))!.NationalNumber);
        Assert.Equal(0, (await store.SearchAsync(new MemberQuery(CountryScope.All) { Search = "nora.late" })).Total);
    }

    private static async Task<Member> HolderAsync(IMemberStore store)
    {
        await foreach (var member in store.ExportAsync(new MemberQuery(CountryScope.Only("BE"))))
            if (member.NationalNumber is not null) return member;
        throw new InvalidOperationException("No Belgian demo member has a national number.");
    }

    /// <summary>The app's own member store, whose lookup by national number finds nothing, as a check made a moment too early.</summary>
    public class CheckBeforeTheOtherSave : DispatchProxy
    {
        private IMemberStore store = null!;

        public static IMemberStore Around(IMemberStore store)
        {
            var proxy = Create<IMemberStore, CheckBeforeTheOtherSave>();
            ((CheckBeforeTheOtherSave)(object)proxy).store = store;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            if (method!.Name == nameof(IMemberStore.FindByNationalNumberAsync)) return Task.FromResult<Member?>(null);
            try
            {
                return method.Invoke(store, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                // A store that refuses before returning its task (LiteDB's) throws here: the caller must see its own exception.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
