using System.Reflection;
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

    /// <summary>
    /// Every request handler of the assembly, found by the interface it implements (MediatR 5 here has no scanning of its own): a new request
    /// needs its handler class and nothing else. <c>RequestHandlerTests</c> checks every request type has exactly one.
    /// </summary>
    public static IServiceCollection AddRequestHandlers(this IServiceCollection services, Assembly assembly)
    {
        foreach (var (handles, handler) in RequestHandlersIn(assembly)) services.AddScoped(handles, handler);
        return services;
    }

    /// <summary>Each closed <c>IRequestHandler&lt;TRequest, TResponse&gt;</c> a concrete class of the assembly implements, with that class.</summary>
    public static IEnumerable<(Type Handles, Type Handler)> RequestHandlersIn(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
        from handles in type.GetInterfaces()
        where handles.IsGenericType && handles.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)
        select (handles, type);
}
