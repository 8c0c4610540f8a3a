namespace Smart.Plugins.Germany;

/// <summary>Functions German rule expressions may call.</summary>
public static class DeUst
{
    /// <summary>True for a USt-IdNr. with a valid check digit ("DE136695976").</summary>
    public static bool IsValid(string? number) => number is not null && new UstIdNrValidator().Check(number).IsValid;
}
