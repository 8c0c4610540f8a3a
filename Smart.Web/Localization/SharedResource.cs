namespace Smart.Web.Localization;

/// <summary>
/// The texts every page shares (layout, navigation, status pages, validation messages by attribute name), in
/// Resources/Localization/SharedResource.{fr,nl}.resx; the key is the English text.
/// </summary>
public sealed class SharedResource;
