namespace Smart.Rules.Evaluation;

/// <summary>
/// How big a rule may be and how much one document's evaluation may spend. Rule files are written by people outside the
/// development team (partner cooperatives among them), so nothing they write may crash or hold the process. Each figure is
/// many times what the shipped rules use: the longest expression has 225 characters and brackets two deep, no rule loops.
/// </summary>
public static class RuleLimits
{
    /// <summary>
    /// A rule file's text (the largest shipped, Belgium's legal forms, has about 60,000): compiling costs about a millisecond per
    /// expression, so this also bounds what one check can spend.
    /// </summary>
    public const int FileCharacters = 250_000;

    /// <summary>One expression's text, checked before it is parsed.</summary>
    public const int ExpressionCharacters = 2_000;

    /// <summary>Brackets inside brackets, checked before parsing: the parser recurses a dozen frames per level.</summary>
    public const int BracketDepth = 16;

    /// <summary>Depth of the parsed expression tree, checked before compiling: the compiler recurses per level.</summary>
    public const int TreeDepth = 100;

    /// <summary>Items one sequence (Enumerable.Range, Repeat, Select…) may yield.</summary>
    public const int SequenceItems = 10_000;

    /// <summary>Characters of any text a rule builds (PadLeft, Replace, concatenation…).</summary>
    public const int TextCharacters = 10_000;

    /// <summary>Steps (sequence items and lambda calls) one document's evaluation may take.</summary>
    public const int StepsPerDocument = 1_000_000;

    /// <summary>Wall-clock time one document's rules may run once they loop.</summary>
    public static readonly TimeSpan TimePerDocument = TimeSpan.FromMilliseconds(250);

    /// <summary>Bytes one document's rules may allocate once they loop.</summary>
    public const long BytesPerDocument = 32 * 1024 * 1024;
}
