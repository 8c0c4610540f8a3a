namespace Smart.Web.Security;

/// <summary>
/// A MediatR request that only some roles may send. <see cref="Behaviours.AuthorizationBehaviour{TRequest,TResponse}"/>
/// refuses it with <see cref="ForbiddenException"/> before its handler runs unless the user holds one of <see cref="Roles"/>.
/// </summary>
public interface IRequireRole
{
    /// <summary>Any one of these roles is enough (see <see cref="SmartRoles"/> for the lists pages share).</summary>
    IReadOnlyList<string> Roles { get; }
}
