using MediatR;

namespace Smart.Web.Behaviours;

public static class BehaviourServices
{
    /// <summary>The steps every MediatR request passes, outermost first: authorisation, then validation, then its handler.</summary>
    public static IServiceCollection AddRequestBehaviours(this IServiceCollection services)
    {
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(AuthorizationBehaviour<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        services.AddExceptionHandler<RequestExceptionHandler>();
        return services;
    }
}
