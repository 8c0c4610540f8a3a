namespace Smart.Web.BankStatements;

/// <summary>
/// One movement on the cooperative's account as the bank reported it. <see cref="Amount"/> is positive for money received and negative
/// for money paid out. <see cref="Key"/> names the movement for good (account and the bank's own reference), so a statement imported
/// twice, or two statements that overlap, record each movement once.
/// </summary>
public sealed record StatementMovement(string Key, DateOnly Date, decimal Amount, string Currency)
{
    /// <summary>A structured reference as sent (Belgian <c>+++…+++</c> digits or an ISO 11649 <c>RF…</c> creditor reference), if any.</summary>
    public string? Reference { get; init; }
    /// <summary>The free communication, when the payer wrote one.</summary>
    public string Communication { get; init; } = "";
    public string? CounterpartyName { get; init; }
    public string? CounterpartyAccount { get; init; }
}

/// <summary>A bank statement read from a file: the account it is for, its balances and its movements.</summary>
public sealed record StatementFile(string Format, string Account, string Currency, string Number, DateOnly Date, decimal OpeningBalance, decimal ClosingBalance,
    IReadOnlyList<StatementMovement> Movements)
{
    /// <summary>
    /// Reads a CODA or camt.053 file, told apart by its first character (CODA records are lines of 128 characters starting with 0; camt.053
    /// is XML). A file that is neither, or breaks its format, throws <see cref="StatementFormatException"/> naming the line or element.
    /// </summary>
    public static StatementFile Read(ReadOnlySpan<byte> content)
    {
        var text = Decode(content).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        if (text.Length == 0) throw new StatementFormatException("The file is empty.");
        return text[0] switch
        {
            '<' => Camt053.Read(text),
            '0' => Coda.Read(text),
            _ => throw new StatementFormatException("The file is neither a CODA statement (lines of 128 characters, the first starting with 0) nor an ISO 20022 camt.053 XML statement."),
        };
    }

    /// <summary>UTF-8 when the bytes are; otherwise Latin-1, which Belgian banks still use for CODA (one byte per character keeps the columns).</summary>
    private static string Decode(ReadOnlySpan<byte> content)
    {
        try { return StrictUtf8.GetString(content); }
        catch (System.Text.DecoderFallbackException) { return System.Text.Encoding.Latin1.GetString(content); }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

/// <summary>A statement file that breaks its format; the message says where.</summary>
public sealed class StatementFormatException(string message) : Exception(message);
