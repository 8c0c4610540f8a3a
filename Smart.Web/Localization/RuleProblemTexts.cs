using Microsoft.Extensions.Localization;
using Smart.Rules.RuleSets;

namespace Smart.Web.Localization;

/// <summary>
/// A rule-file problem in the reader's language: each sentence kind's English template (<see cref="ProblemKinds"/>) is a key of
/// <see cref="SharedResource"/>, filled with the problem's arguments (names, paths and figures as the file writes them). What a
/// library wrote (the JSON reader, the schema validator, the expression compiler) stays an argument of a sentence naming the place.
/// </summary>
public static class RuleProblemTexts
{
    public static string Show(this IStringLocalizer texts, RuleSetProblem problem) => texts.Show(problem.Text);

    public static string Show(this IStringLocalizer texts, ProblemText text) =>
        text.Render((template, arguments) => template == ProblemKinds.Plain.Template
            ? string.Join("", arguments)
            : texts[template, arguments].Value);

    /// <summary>A problem as one line that names its place: JSON path and line, or the file.</summary>
    public static string Place(this IStringLocalizer texts, RuleSetProblem problem) =>
        problem.Line > 0
            ? $"{problem.Path} ({texts["line"].Value} {problem.Line}): {texts.Show(problem)}"
            : $"{(problem.Path.Length > 0 ? problem.Path : problem.File)}: {texts.Show(problem)}";
}
