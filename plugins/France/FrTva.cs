namespace Smart.Plugins.France;

/// <summary>Functions French rule expressions may call.</summary>
public static class FrTva
{
    /// <summary>True for a French VAT number whose key matches its SIREN ("FR46443121975").</summary>
    public static bool IsValid(string? number) => number is not null && new TvaValidator().Check(number).IsValid;

    /// <summary>True for a SIREN or SIRET with a valid check digit.</summary>
    public static bool IsValidSiren(string? number) => number is not null && new SirenValidator().Check(number).IsValid;
}
