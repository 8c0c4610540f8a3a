using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Smart.Browser.Tests;

/// <summary>
/// Issue 5's browser journey: a compliance officer edits a rule in the code editor, sees the inline error the server's check puts
/// at its line, fixes it, runs the file's tests and sees them pass, saves, and watches the draft's impact simulation finish.
/// </summary>
public sealed class RuleEditorJourneyTests(LiveIntranet intranet) : IClassFixture<LiveIntranet>
{
    private const string DemoPassword = "Demo-2026!";

    [Fact]
    public Task An_officer_breaks_a_rule_in_the_code_editor_sees_it_marked_fixes_it_and_simulates_the_draft() =>
        intranet.InNewBrowserAsync(nameof(An_officer_breaks_a_rule_in_the_code_editor_sees_it_marked_fixes_it_and_simulates_the_draft), async page =>
        {
            await page.GotoAsync("/Account/SignIn");
            await page.FillAsync("[name='Data.Email']", "compliance@smart.coop");
            await page.FillAsync("[name='Data.Password']", DemoPassword);
            await page.ClickAsync("#sign-in button[type=submit]");
            await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();

            // A new draft of the Belgian contribution, opened in the editor.
            await page.GotoAsync("/Rules/RuleSet?key=be/contribution.json");
            await page.ClickAsync("#new-draft");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Version/\d+$"));
            await page.ClickAsync("#edit");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Edit/\d+$"));
            var editor = page.Locator("#editor .monaco-editor");
            await Expect(editor).ToBeVisibleAsync();
            await Expect(page.Locator("textarea[name='Data.Text']")).ToBeHiddenAsync();
            await Expect(page.Locator("#check-passed")).ToBeVisibleAsync(); // the draft is checked as it opens

            // The rule-set schema in the editor: completion offers the properties the file may still have…
            await page.EvaluateAsync(@"() => {
                const editor = monaco.editor.getEditors()[0];
                const match = editor.getModel().findMatches('""validFrom"": ""2018-01-01"",', false, false, true, null, false)[0];
                editor.setPosition({ lineNumber: match.range.endLineNumber, column: match.range.endColumn });
                editor.focus();
            }");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.PressAsync("Control+Space");
            await Expect(page.Locator(".suggest-widget .monaco-list-row", new() { HasText = "validTo" })).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");
            await page.Keyboard.PressAsync("Control+Shift+K");

            // …and a property the format does not have is marked as it is typed, and removed again.
            await page.EvaluateAsync(@"() => {
                const editor = monaco.editor.getEditors()[0];
                editor.setPosition({ lineNumber: 1, column: 2 });
                editor.focus();
            }");
            await page.Keyboard.PressAsync("Enter");
            await page.Keyboard.TypeAsync("\"colour\": 1,");
            await page.WaitForFunctionAsync("() => monaco.editor.getModelMarkers({}).some(m => m.owner !== 'rule-check' && m.message.includes('colour') && m.startLineNumber === 2)");
            await Expect(page.Locator("#editor .squiggly-error").First).ToBeAttachedAsync();
            await page.Keyboard.PressAsync("Control+Shift+K");
            await page.WaitForFunctionAsync("() => !monaco.editor.getModelMarkers({}).some(m => m.message.includes('colour'))");

            // Break the rule's expression by typing: an input field that does not exist.
            var line = await page.EvaluateAsync<int>(@"() => {
                const editor = monaco.editor.getEditors()[0];
                const match = editor.getModel().findMatches('""Expression"": ""true""', false, false, true, null, false)[0];
                editor.setPosition({ lineNumber: match.range.endLineNumber, column: match.range.endColumn - 1 });
                editor.focus();
                return match.range.endLineNumber;
            }");
            await page.Keyboard.TypeAsync(" || doc.Nett > 0");
            await page.ClickAsync("#check");

            var problem = page.Locator("#problems li[data-path='workflow.Rules[0].Expression']");
            await Expect(problem).ToBeVisibleAsync();
            await Expect(problem).ToHaveAttributeAsync("data-line", line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(page.Locator("#editor .squiggly-error").First).ToBeAttachedAsync();
            Assert.Equal(line, await page.EvaluateAsync<int>("() => monaco.editor.getModelMarkers({ owner: 'rule-check' })[0].startLineNumber"));

            // Fix it where it was typed: "Nett" → "Net", then run the tests again.
            await page.EvaluateAsync("() => monaco.editor.getEditors()[0].focus()");
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("Backspace");
            await page.ClickAsync("#check");

            await Expect(page.Locator("#check-passed")).ToBeVisibleAsync();
            await Expect(page.Locator("#tests li[data-passed=true]").First).ToBeVisibleAsync();
            await Expect(page.Locator("#tests li[data-passed=false]")).ToHaveCountAsync(0);
            await Expect(page.Locator("#editor .squiggly-error")).ToHaveCountAsync(0);
            Assert.Equal(0, await page.EvaluateAsync<int>("() => monaco.editor.getModelMarkers({ owner: 'rule-check' }).length"));

            // Saved through the plain form, then simulated from the draft's page.
            await page.ClickAsync("#save");
            await Expect(page.Locator("#flash")).ToBeVisibleAsync();
            Assert.Contains("\"Expression\": \"true || doc.Net > 0\"", await page.Locator("textarea[name='Data.Text']").InputValueAsync(), StringComparison.Ordinal);
            await page.ClickAsync("#to-version");
            await page.ClickAsync("#simulate");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Simulations/Start/\d+$"));
            await page.ClickAsync("#start");
            await Expect(page.Locator("#progress-bar")).ToHaveTextAsync("100%", new() { Timeout = 120_000 });
            await Expect(page.Locator("#simulation")).ToHaveAttributeAsync("data-status", "Done", new() { Timeout = 120_000 });
        });

    [Fact]
    public Task Leaving_the_editor_with_unsaved_edits_asks_first_and_after_saving_it_does_not() =>
        intranet.InNewBrowserAsync(nameof(Leaving_the_editor_with_unsaved_edits_asks_first_and_after_saving_it_does_not), async page =>
        {
            await page.GotoAsync("/Account/SignIn");
            await page.FillAsync("[name='Data.Email']", "compliance@smart.coop");
            await page.FillAsync("[name='Data.Password']", DemoPassword);
            await page.ClickAsync("#sign-in button[type=submit]");
            await Expect(page.Locator("#user-menu")).ToBeVisibleAsync();
            await page.GotoAsync("/Rules/RuleSet?key=fr/contribution.json");
            await page.ClickAsync("#new-draft");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Version/\d+$"));
            await page.ClickAsync("#edit");
            await Expect(page.Locator("#editor .monaco-editor")).ToBeVisibleAsync();
            var dialogs = new List<string>();
            page.Dialog += async (_, dialog) =>
            {
                dialogs.Add(dialog.Type);
                await dialog.DismissAsync(); // stay on the page
            };

            // An edit not saved: leaving asks, and staying keeps the page.
            await page.EvaluateAsync("() => { const editor = monaco.editor.getEditors()[0]; editor.setPosition({ lineNumber: 1, column: 2 }); editor.focus(); }");
            await page.Keyboard.PressAsync("Enter");
            await page.ClickAsync("#to-version");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Edit/\d+$"));
            await page.WaitForFunctionAsync("() => true"); // the dialog's handler has run once the page answers again
            Assert.Equal(["beforeunload"], dialogs);

            // Saved: leaving asks nothing.
            await page.ClickAsync("#save");
            await Expect(page.Locator("#editor .monaco-editor")).ToBeVisibleAsync();
            await page.ClickAsync("#to-version");
            await Expect(page).ToHaveURLAsync(new Regex(@"/Rules/Version/\d+$"));
            Assert.Single(dialogs);
        });
}
