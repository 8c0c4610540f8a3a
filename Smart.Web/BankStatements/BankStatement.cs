namespace Smart.Web.BankStatements;

/// <summary>An imported bank statement of one country's account, with what its import found.</summary>
public sealed record BankStatement
{
    public int Id { get; init; }
    public required string Country { get; init; }
    /// <summary><c>CODA</c> or <c>camt.053</c>.</summary>
    public required string Format { get; init; }
    public required string FileName { get; init; }
    public required string Account { get; init; }
    public required string Currency { get; init; }
    public string Number { get; init; } = "";
    public DateOnly Date { get; init; }
    public decimal OpeningBalance { get; init; }
    public decimal ClosingBalance { get; init; }
    public required string ImportedBy { get; init; }
    public DateTime ImportedAtUtc { get; init; }
    /// <summary>Movements in the file that an earlier import had already recorded (nothing is done with them twice).</summary>
    public int AlreadyImported { get; init; }
}

public enum StatementLineStatus
{
    /// <summary>Recorded as a payment of an invoice.</summary>
    Matched,
    /// <summary>Money received that no rule could pin on one invoice: waits for a person.</summary>
    Waiting,
    /// <summary>Money paid out by the cooperative: not a client's payment.</summary>
    Outgoing,
    /// <summary>A person decided it pays no invoice (a grant, a refund from a supplier…), with a reason.</summary>
    Dismissed,
}

/// <summary>Why money received waits for a person.</summary>
public enum WaitingReason
{
    /// <summary>No reference, invoice number, or amount and payer pointed at an open invoice.</summary>
    NoMatch,
    /// <summary>It points at an invoice but is more than that invoice's balance due (<see cref="StatementLine.InvoiceNumber"/>).</summary>
    MoreThanDue,
    /// <summary>Several open invoices of this amount bear the payer's name.</summary>
    SeveralInvoices,
    /// <summary>Not in the currency of the country's invoices.</summary>
    OtherCurrency,
}

/// <summary>How a received payment was pinned on its invoice.</summary>
public enum MatchRule
{
    /// <summary>The structured communication or creditor reference printed on the invoice.</summary>
    Reference,
    /// <summary>The invoice's number in the free communication.</summary>
    InvoiceNumber,
    /// <summary>The only open invoice of this amount whose client bears the payer's name.</summary>
    AmountAndClient,
    /// <summary>A person chose the invoice from the waiting queue.</summary>
    Person,
}

/// <summary>One movement of an imported statement and what became of it. <see cref="Key"/> is the movement's own (see <see cref="StatementMovement.Key"/>).</summary>
public sealed record StatementLine
{
    public int Id { get; init; }
    public int StatementId { get; init; }
    public required string Key { get; init; }
    public required string Country { get; init; }
    public DateOnly Date { get; init; }
    public decimal Amount { get; init; }
    public required string Currency { get; init; }
    public string? Reference { get; init; }
    public string Communication { get; init; } = "";
    public string? CounterpartyName { get; init; }
    public string? CounterpartyAccount { get; init; }
    public StatementLineStatus Status { get; init; }
    public int? InvoiceId { get; init; }
    public string? InvoiceNumber { get; init; }
    public MatchRule? MatchedBy { get; init; }
    public WaitingReason? Waiting { get; init; }
    /// <summary>Why a person dismissed it.</summary>
    public string? Note { get; init; }
    public string? DecidedBy { get; init; }
    public DateTime? DecidedAtUtc { get; init; }
    public int Version { get; init; }

    /// <summary>Can a person's decision replace this line read at <paramref name="expectedVersion"/>? Only a line still waiting, unchanged since.</summary>
    public bool CanBeDecidedAt(int expectedVersion) => Version == expectedVersion && Status == StatementLineStatus.Waiting;

    /// <summary>This line with <paramref name="decided"/>'s decision: only the decision's fields change, what the bank said stays as imported.</summary>
    public StatementLine DecidedAs(StatementLine decided) => this with
    {
        Status = decided.Status,
        InvoiceId = decided.InvoiceId,
        InvoiceNumber = decided.InvoiceNumber,
        MatchedBy = decided.MatchedBy,
        Waiting = decided.Waiting,
        Note = decided.Note,
        DecidedBy = decided.DecidedBy,
        DecidedAtUtc = decided.DecidedAtUtc,
        Version = Version + 1,
    };
}
