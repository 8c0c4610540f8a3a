namespace Smart.Web.Security;

/// <summary>
/// No such record, or one of a country the user may not see: the two are answered alike (404) so a URL never tells
/// a partner administrator that another country's record exists.
/// </summary>
public sealed class NotFoundException(string message) : Exception(message);
