namespace Smart.Plugins.Belgium;

/// <summary>Functions Belgian rule expressions may call.</summary>
public static class BeVat
{
    /// <summary>True for a Belgian VAT number with valid check digits ("BE0428759497", "BE 0428.759.497").</summary>
    public static bool IsValid(string? number) => number is not null && new EnterpriseNumberValidator(asVatNumber: true).Check(number).IsValid;

    /// <summary>True for a structured communication with valid check digits.</summary>
    public static bool IsValidStructuredCommunication(string? reference) => StructuredCommunication.Check(reference).IsValid;
}
