namespace Smart.Web.Security;

/// <summary>
/// A MediatR request about one country's data. <see cref="Behaviours.AuthorizationBehaviour{TRequest,TResponse}"/>
/// refuses it with <see cref="ForbiddenException"/> when the user may not see <see cref="Country"/>.
/// A request that names a record by id cannot know its country: its handler checks the loaded record with
/// <see cref="CurrentUser.CanSee"/> and throws <see cref="NotFoundException"/>.
/// </summary>
public interface ICountryScoped
{
    /// <summary>The country the request reads or writes; null when it names none (a list over every visible country).</summary>
    string? Country { get; }
}
