using MediatR;
using Smart.Web.Storage;
using Smart.Web.Storage.Invoices;

namespace Smart.Web.EInvoicing;

/// <summary>
/// One run of the outbox: hands over every generated document, then records the answers dropped back. Exactly once across runs and
/// restarts: the store says what is still to hand over (by attempt), the transport refuses to write a file it already holds, and the
/// store is marked after the file is in place — a run stopped between the two finds the file on the next run and only marks it.
/// </summary>
public static class DeliverEInvoices
{
    public sealed record Command : IRequest<Result>;

    /// <param name="Written">Files written by this run.</param>
    /// <param name="HandedOver">Entries marked handed over (written now, or found written by a stopped run).</param>
    /// <param name="Answered">Answers recorded; <paramref name="Unmatched"/> those naming no document waiting for one.</param>
    public sealed record Result(int Written, int HandedOver, int Answered, int Unmatched);

    /// <summary>One run at a time in this process (LiteDB has one process): a second one waits for the first.</summary>
    public sealed class RunLock
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    public sealed class Handler(IOutboxStore outbox, IInvoiceStore invoices, IEInvoiceTransport transport, RunLock runLock, TimeProvider clock)
        : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            await runLock.Gate.WaitAsync(cancellationToken);
            try
            {
                int written = 0, handedOver = 0, answered = 0, unmatched = 0;
                foreach (var entry in await outbox.WithStatusAsync(OutboxStatus.Generated, cancellationToken))
                {
                    if (await invoices.FilesAsync(entry.InvoiceId, cancellationToken) is not { Xml: { } xml }) continue;
                    if (await transport.HandOverAsync(entry, xml, cancellationToken)) written++;
                    if (await outbox.MarkHandedOverAsync(entry.InvoiceId, entry.Attempt, clock.GetUtcNow().UtcDateTime, cancellationToken)) handedOver++;
                }
                var waiting = await outbox.WithStatusAsync(OutboxStatus.HandedOver, cancellationToken);
                foreach (var receipt in transport.PendingReceipts())
                {
                    var entry = waiting.FirstOrDefault(e => e.Channel == receipt.Channel
                        && (receipt.FileName is not null ? e.FileName == receipt.FileName : e.Number == receipt.Number));
                    var matched = entry is not null && await outbox.AnswerAsync(entry.InvoiceId, entry.Attempt, receipt.Delivered, receipt.Reason,
                        clock.GetUtcNow().UtcDateTime, cancellationToken);
                    if (matched) answered++; else unmatched++;
                    transport.Done(receipt, matched);
                }
                return new Result(written, handedOver, answered, unmatched);
            }
            finally
            {
                runLock.Gate.Release();
            }
        }
    }
}
