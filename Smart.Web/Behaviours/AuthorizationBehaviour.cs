using MediatR;
using Smart.Web.Security;

namespace Smart.Web.Behaviours;

/// <summary>
/// Refuses a request before its handler runs when the user lacks a role it requires (<see cref="IRequireRole"/>) or may
/// not see the country it names (<see cref="ICountryScoped"/>), with <see cref="ForbiddenException"/>.
/// </summary>
public sealed class AuthorizationBehaviour<TRequest, TResponse>(CurrentUser user) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is IRequireRole required && !user.IsInAnyRole(required.Roles))
            throw new ForbiddenException($"{typeof(TRequest).FullName} needs one of the roles {string.Join(", ", required.Roles)}.");
        if (request is ICountryScoped { Country: { Length: > 0 } country } && !user.CanSee(country))
            throw new ForbiddenException($"{typeof(TRequest).FullName} is about {CountryCode.Normalise(country)}, a country this user may not see.");
        return next();
    }
}
