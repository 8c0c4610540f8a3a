using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;
using Smart.Web.Storage.ProductionUnits;

namespace Smart.Web.Storage;

/// <summary>A store keeping rows in memory (the LiteDB invoice and directory stores), loaded in the background before the first list asks.</summary>
internal interface IWarmsUp
{
    void WarmUp(ILogger logger);
}

/// <summary>
/// Starts loading the stores' rows in memory once the app answers, not while it starts: on 2 cores a year's rows loading beside
/// start-up took the processor from it. A list asked for before they are loaded loads
/// them itself, or waits for the load running, so no page ever sees part of them.
/// </summary>
internal sealed class RowsWarmUp(IHostApplicationLifetime lifetime, ILogger<RowsWarmUp> logger, IMemberStore members, IProductionUnitStore units, IClientStore clients, IInvoiceStore invoices)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var store in new object[] { members, units, clients, invoices })
                if (store is IWarmsUp rows) rows.WarmUp(logger);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="load"/> on a background thread of low priority, so the first list need not wait and start-up and the first
    /// requests go first. Nothing thrown there may end the process: a failure is logged (the first list then loads the rows itself and
    /// reports it), a load stopped because the store is closing is not one.
    /// </summary>
    internal static void InBackground(string rows, Action load, CancellationToken stopping, ILogger logger) => new Thread(() =>
    {
        try { load(); }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            logger.LogWarning(e, "Loading the {Rows} rows in the background failed: the first list loads them itself", rows);
        }
        catch (Exception) { }
    })
    { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = $"{rows} rows warm-up" }.Start();
}
