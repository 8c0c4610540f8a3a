namespace Smart.Plugins.Italy;

/// <summary>Functions Italian rule expressions may call.</summary>
public static class ItIva
{
    /// <summary>True for an Italian VAT number, with or without "IT" ("IT00743110157").</summary>
    public static bool IsValid(string? number) => number is not null && new PartitaIvaValidator(asVatNumber: true).Check(number).IsValid;

    /// <summary>True for a person's codice fiscale with a valid check letter.</summary>
    public static bool IsValidCodiceFiscale(string? code) => code is not null && new CodiceFiscaleValidator().Check(code).IsValid;
}
