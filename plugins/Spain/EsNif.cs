namespace Smart.Plugins.Spain;

/// <summary>Functions Spanish rule expressions may call.</summary>
public static class EsNif
{
    /// <summary>True for a DNI, NIE or CIF with a valid control character, with or without "ES".</summary>
    public static bool IsValid(string? number) => Nif.CheckAny(Nif.Compact(number)).IsValid;
}
