namespace Smart.Plugins.Austria;

/// <summary>Functions Austrian rule expressions may call.</summary>
public static class AtUid
{
    /// <summary>True for an Austrian UID with a valid check digit ("ATU13585627").</summary>
    public static bool IsValid(string? number) => number is not null && new UidValidator().Check(number).IsValid;
}
