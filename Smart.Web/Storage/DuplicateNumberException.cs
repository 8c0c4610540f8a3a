namespace Smart.Web.Storage;

/// <summary>
/// A write the store refused because another record of the country holds the same national or VAT number: the handlers ask
/// <c>FindBy…</c> first and refuse on the field, so this only reaches a user who lost a race with another save.
/// </summary>
public sealed class DuplicateNumberException(string field)
    : InvalidOperationException($"Another record of this country already has this {field}.")
{
    /// <summary>The entity's property holding the number (<c>NationalNumber</c>, <c>VatNumber</c>).</summary>
    public string Field { get; } = field;
}
