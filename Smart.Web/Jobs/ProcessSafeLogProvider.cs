using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Smart.Web.Jobs;

/// <summary>
/// Hangfire keeps one log provider for the whole process (a static), while each app host owns and disposes its own
/// logger factory. With several hosts in one process (the tests start many), a stopped host's disposed factory must not
/// break the others: a logger that can no longer be created logs nothing instead of throwing.
/// </summary>
internal sealed class ProcessSafeLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
