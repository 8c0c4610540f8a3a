namespace Smart.Plugins.Sweden;

/// <summary>Functions Swedish rule expressions may call.</summary>
public static class SeMoms
{
    /// <summary>True for a Swedish VAT number, SE + organisationsnummer + 01 ("SE123456789701").</summary>
    public static bool IsValid(string? number) => number is not null && new MomsNumberValidator().Check(number).IsValid;

    /// <summary>True for an organisationsnummer with a valid check digit.</summary>
    public static bool IsValidOrganisationsnummer(string? number) => number is not null && new OrganisationsnummerValidator().Check(number).IsValid;
}
