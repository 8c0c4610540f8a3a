namespace Smart.Rules.RuleSets;

/// <summary>
/// What is wrong in a rule file, and where: file, JSON path and line (0 when the problem spans the file). <see cref="Message"/> is
/// the English sentence; <see cref="Text"/> is the same sentence as a stable code and its arguments, for an app to translate.
/// </summary>
public sealed record RuleSetProblem(string File, string Path, int Line, string Message)
{
    public RuleSetProblem(string file, string path, int line, ProblemText text) : this(file, path, line, text.English) => Text = text;

    /// <summary>The sentence as a code and arguments; a problem made from a plain message carries it as its only argument.</summary>
    public ProblemText Text { get; init; } = ProblemKinds.Plain.With(Message);

    public string Code => Text.Code;

    public override string ToString() => $"{File}:{Line} {Path}: {Message}";
}
