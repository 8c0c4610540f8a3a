namespace Smart.Rules.RuleSets;

/// <summary>What is wrong in a rule file, and where: file, JSON path and line (0 when the problem spans the file).</summary>
public sealed record RuleSetProblem(string File, string Path, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line} {Path}: {Message}";
}
