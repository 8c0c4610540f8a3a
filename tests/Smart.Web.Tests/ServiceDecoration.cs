using Microsoft.Extensions.DependencyInjection;

namespace Smart.Web.Tests;

public static class ServiceDecoration
{
    /// <summary>
    /// Puts <paramref name="wrap"/> around the app's own <typeparamref name="T"/>, whichever store the run uses (LiteDB or
    /// PostgreSQL), with the same lifetime: a test slows or races one call without naming the implementation.
    /// </summary>
    public static IServiceCollection Decorate<T>(this IServiceCollection services, Func<T, T> wrap) where T : class
    {
        var registered = services.Last(s => s.ServiceType == typeof(T));
        services.Remove(registered);
        services.Add(ServiceDescriptor.Describe(typeof(T), provider => wrap((T)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!))), registered.Lifetime));
        return services;
    }
}
