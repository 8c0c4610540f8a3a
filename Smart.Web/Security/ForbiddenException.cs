namespace Smart.Web.Security;

/// <summary>The user may not do this. Pages answer 403 (RequestOutcomePageFilter), the API a 403 problem.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
