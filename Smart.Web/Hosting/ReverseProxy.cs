using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Smart.Web.Hosting;

/// <summary>
/// Behind a reverse proxy that ends TLS: the client's address and scheme from X-Forwarded-For and X-Forwarded-Proto, trusted only
/// from the proxies named in <c>Smart:ReverseProxy:KnownProxies</c> (addresses) and <c>KnownNetworks</c> (CIDR, e.g. 10.0.0.0/8);
/// loopback is always trusted. Without them a client could pick the address the rate limits count it under.
/// </summary>
public static class ReverseProxy
{
    public const string Section = "Smart:ReverseProxy";

    public static IServiceCollection AddReverseProxy(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var proxies = configuration.GetSection($"{Section}:KnownProxies").Get<string[]>() ?? [];
            var networks = configuration.GetSection($"{Section}:KnownNetworks").Get<string[]>() ?? [];
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in networks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }
}
