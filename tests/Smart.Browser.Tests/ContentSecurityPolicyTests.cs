using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 10, F9: the Content-Security-Policy the app sends is one its pages keep, the Monaco rule editor (workers, injected styles)
/// included; a violation would show as a securitypolicyviolation event or a console error in the real browser.
/// </summary>
public sealed class ContentSecurityPolicyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string DemoPassword = "Demo-2026!";

    /// <summary>Records every violation the document sees, from before the page's first script runs.</summary>
    private const string ViolationRecorder = @"
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

    [Fact]
    public Task The_rule_editor_and_other_pages_run_without_a_content_security_policy_violation() =>
        intranet.InNewBrowserAsync(nameof(The_rule_editor_and_other_pages_run_without_a_content_security_policy_violation), async page =>
        {
            var console = new List<string>();
            // Chromium reports a blocked script, style, font or worker (in the page or a worker) on the console; a missing favicon is no violation.
            void Record(IConsoleMessage message)
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.StartsWith("Refused to", StringComparison.Ordinal))
                    console.Add(message.Text);
            }
            page.Console += (_, message) => Record(message);
            page.Worker += (_, worker) => worker.Console += (_, message) => Record(message);
            await page.AddInitScriptAsync(ViolationRecorder);

            await page.GotoAsync("/Account/SignIn");
            await page.FillAsync("[name='Data.Email']", "compliance@smart.coop");
            await page.FillAsync("[name='Data.Password']", DemoPassword);
            await page.ClickAsync("#sign-in button[type=submit]");
            await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
            await AssertNoViolationAsync(page, console, "home page");

            // Another page with its own script: the rule set's page, then the user menu (Bootstrap's dropdown).
            await page.GotoAsync("/Rules/RuleSet?key=be/vat.json");
            await page.ClickAsync("#user-menu button");
            await Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
            await AssertNoViolationAsync(page, console, "rule set page");

            // The editor: Monaco's loader, its styles, its fonts and the JSON worker that gives completion and schema errors.
            await page.ClickAsync("#new-draft");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Version/\d+$"));
            await page.ClickAsync("#edit");
            await Expect(page.Locator("#editor .monaco-editor")).ToBeVisibleAsync();
            await Expect(page.Locator("#check-passed")).ToBeVisibleAsync();
            await page.EvaluateAsync("() => { const editor = monaco.editor.getEditors()[0]; editor.setPosition({ lineNumber: 1, column: 2 }); editor.focus(); }");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync("\"colour\": 1,");
            // A schema marker comes from the JSON worker: the worker started and ran under the policy.
            await page.WaitForFunctionAsync("() => monaco.editor.getModelMarkers({}).some(m => m.owner !== 'rule-check' && m.message.includes('colour'))");
            await page.Keyboard.PressAsync("Control+Space");
            await Expect(page.Locator(".suggest-widget .monaco-list-row").First).ToBeVisibleAsync();
            await AssertNoViolationAsync(page, console, "rule editor");
        });

    private static async Task AssertNoViolationAsync(IPage page, List<string> console, string where)
    {
        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.True(violations.Length == 0, $"{where}: {string.Join("; ", violations)}");
        Assert.True(console.Count == 0, $"{where}: {string.Join("; ", console)}");
    }
}
