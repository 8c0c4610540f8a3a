using System.Reflection;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Behaviours;

namespace Smart.Web.Tests;

/// <summary>The handlers are found by a scan: every request the app defines must reach exactly one handler in the running app.</summary>
public sealed class RequestHandlerTests
{
    private static readonly Assembly App = typeof(Program).Assembly;

    private static IEnumerable<(Type Request, Type Response)> Requests() =>
        from type in App.GetTypes()
        where type is { IsAbstract: false, ContainsGenericParameters: false }
        from contract in type.GetInterfaces()
        where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IRequest<>)
        select (type, contract.GetGenericArguments()[0]);

    [Fact]
    public void Every_request_has_exactly_one_handler_in_the_running_app()
    {
        using var factory = new SmartWebFactory();
        using var scope = factory.Services.CreateScope();
        var handlers = BehaviourServices.RequestHandlersIn(App).GroupBy(h => h.Handles).ToDictionary(g => g.Key, g => g.Count());
        var requests = Requests().ToList();

        var missing = requests.Where(r => !handlers.ContainsKey(typeof(IRequestHandler<,>).MakeGenericType(r.Request, r.Response)))
            .Select(r => r.Request.FullName).ToList();
        var doubled = handlers.Where(h => h.Value > 1).Select(h => h.Key.ToString()).ToList();
        // Exactly one in the container: none means the scan missed it, two means a registration by hand beside the scan.
        var notOnce = requests.Where(r => scope.ServiceProvider.GetServices(typeof(IRequestHandler<,>).MakeGenericType(r.Request, r.Response)).Count() != 1)
            .Select(r => r.Request.FullName).ToList();

        Assert.True(requests.Count > 80, $"only {requests.Count} requests found: the scan looks in the wrong place");
        Assert.Empty(missing);
        Assert.Empty(doubled);
        Assert.Empty(notOnce);
    }
}
