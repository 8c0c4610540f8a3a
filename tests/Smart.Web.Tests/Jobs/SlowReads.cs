using System.Reflection;

namespace Smart.Web.Tests.Jobs;

/// <summary>
/// A store whose named reads take a while, as on a slow disk: a run then lasts long enough to be cancelled or to exceed its budget. The wait
/// ends early, with the usual cancellation, when the read's token is cancelled.
/// </summary>
public class SlowReads<T> : DispatchProxy where T : class
{
    private T inner = null!;
    private string method = "";
    private TimeSpan delay;

    public static T Wrap(T inner, string method, TimeSpan delay)
    {
        var proxy = Create<T, SlowReads<T>>();
        var slow = (SlowReads<T>)(object)proxy;
        (slow.inner, slow.method, slow.delay) = (inner, method, delay);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == method && args?.OfType<CancellationToken>().FirstOrDefault() is { } token)
        {
            token.WaitHandle.WaitOne(delay);
            token.ThrowIfCancellationRequested();
        }
        try
        {
            return targetMethod.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
