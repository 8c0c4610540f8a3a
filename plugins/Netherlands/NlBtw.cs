namespace Smart.Plugins.Netherlands;

/// <summary>Functions Dutch rule expressions may call.</summary>
public static class NlBtw
{
    /// <summary>True for a Dutch VAT number of either scheme ("NL004495445B01", "NL002455799B11").</summary>
    public static bool IsValid(string? number) => number is not null && new BtwIdValidator().Check(number).IsValid;
}
