using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Behaviours;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;

namespace Smart.Web.Tests;

/// <summary>The authorisation and validation behaviours, through the app's own mediator, as a handler of another page meets them.</summary>
public sealed class RequestBehaviourTests(SmartWebFactory factory) : IClassFixture<SmartWebFactory>, IDisposable
{
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> app =
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddScoped<IRequestHandler<Probe, string>, ProbeHandler>()));

    public void Dispose() => app.Dispose();

    public sealed record Probe(string? Country, [property: Required, StringLength(5)] string Name) : IRequest<string>, IRequireRole, ICountryScoped
    {
        public IReadOnlyList<string> Roles => SmartRoles.MemberWork;
    }

    public sealed class ProbeHandler : IRequestHandler<Probe, string>
    {
        public Task<string> Handle(Probe request, CancellationToken cancellationToken) => Task.FromResult("handled " + request.Name);
    }

    private Task<string> SendAs(Account account, Probe probe)
    {
        var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext =
            new DefaultHttpContext { User = AccountPrincipal.For(account), RequestServices = scope.ServiceProvider };
        return scope.ServiceProvider.GetRequiredService<IMediator>().Send(probe);
    }

    private static Account PartnerOf(string country) => new(7, "p@smart.coop", "P", "", [SmartRoles.PartnerAdmin], [country]);

    [Fact]
    public async Task A_request_about_the_users_country_reaches_its_handler() =>
        Assert.Equal("handled Ann", await SendAs(PartnerOf("FR"), new Probe("fr", "Ann")));

    [Fact]
    public async Task A_request_about_another_country_is_refused_before_its_handler() =>
        await Assert.ThrowsAsync<ForbiddenException>(() => SendAs(PartnerOf("FR"), new Probe("BE", "Ann")));

    [Fact]
    public async Task A_request_from_a_role_it_does_not_list_is_refused() =>
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            SendAs(new Account(8, "c@smart.coop", "C", "", [SmartRoles.ComplianceOfficer], []), new Probe(null, "Ann")));

    [Fact]
    public async Task A_request_with_bad_fields_is_refused_with_each_field_named()
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => SendAs(PartnerOf("FR"), new Probe("FR", "Far too long")));
        Assert.Equal([nameof(Probe.Name)], refused.Errors.Keys);
    }

    [Fact]
    public async Task Authorisation_runs_before_validation_so_a_refused_user_learns_nothing_about_the_fields() =>
        await Assert.ThrowsAsync<ForbiddenException>(() => SendAs(PartnerOf("FR"), new Probe("BE", "")));
}
