using System.Text.RegularExpressions;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Smart.Web.Jobs;
using Smart.Web.Simulations;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.RuleSets;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>The impact simulation's page in a real browser: its script polls the progress while the simulation waits and runs, then shows the results.</summary>
public sealed class SimulationProgressTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    [Fact]
    public Task The_progress_bar_follows_a_queued_simulation_to_its_end_and_the_page_then_shows_what_would_change() =>
        intranet.InNewBrowserAsync(nameof(The_progress_bar_follows_a_queued_simulation_to_its_end_and_the_page_then_shows_what_would_change), async page =>
        {
            // A simulation written down but not queued: the page opens on it while it waits, whatever the machine's speed.
            var versions = intranet.Services.GetRequiredService<IRuleSetStore>();
            var inForce = (await versions.InForceAsync()).Single(v => v.Key == "be/contribution.json");
            var simulations = intranet.Services.GetRequiredService<ISimulationStore>();
            var simulation = await simulations.AddAsync(new ImpactSimulation
            {
                VersionId = inForce.Id, Key = inForce.Key, VersionNumber = inForce.Number, Country = "BE", DraftText = inForce.Text, From = new(2026, 1, 1),
                To = new(2026, 12, 31), StartedBy = "compliance@smart.coop", StartedAtUtc = DateTime.UtcNow,
            });

            await page.GotoAsync("/Account/SignIn");
            await page.FillAsync("[name='Data.Email']", "compliance@smart.coop");
            await page.FillAsync("[name='Data.Password']", "Demo-2026!");
            await page.ClickAsync("#sign-in button[type=submit]");
            await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();

            await page.GotoAsync($"/Rules/Simulations/{simulation.Id}");
            await Expect(page.Locator("#simulation")).ToHaveAttributeAsync("data-status", "Queued");
            await Expect(page.Locator("#progress-bar")).ToHaveTextAsync("0%");
            var polled = page.WaitForResponseAsync(new Regex(@"handler=Progress"));
            await polled;

            // The job's work, done now: the page's script sees it end and reloads on the results.
            using (var scope = intranet.Services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SimulateImpact.Command(simulation.Id));
            await Expect(page.Locator("#simulation")).ToHaveAttributeAsync("data-status", "Done");
            await Expect(page.Locator("#progress-bar")).ToHaveTextAsync("100%");
            await Expect(page.Locator("#issued-notice")).ToBeVisibleAsync();
            await Expect(page.Locator("#months")).ToBeVisibleAsync();
        });
}
