using System.Globalization;

namespace Smart.Web.BankStatements;

/// <summary>
/// Belgian CODA statements (Febelfin, "Coded statement of account", version 2): records of 128 characters, each identified by its first
/// characters — 0 header, 1 old balance, 21/22/23 a movement and its continuations, 31/32/33 information, 4 free message, 8 new balance,
/// 9 trailer. Amounts have 15 digits of which 3 decimals and a separate sign (0 credit, 1 debit); dates are DDMMYY. Only what matching
/// payments needs is read; the trailer's totals are checked against the movements so a truncated file is refused, not half imported.
/// </summary>
public static class Coda
{
    private const int RecordLength = 128;

    public static StatementFile Read(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);

        string? account = null, currency = null, number = null;
        DateOnly? date = null;
        decimal? opening = null, closing = null;
        decimal? trailerDebit = null, trailerCredit = null;
        var movements = new List<Movement>();
        Movement? current = null;

        for (var i = 0; i < lines.Count; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i];
            if (line.Length > RecordLength) throw Bad(lineNumber, $"has {line.Length} characters; CODA records have {RecordLength}");
            // Some exports drop trailing blanks: a short record is padded back to its columns.
            var record = new Record(line.PadRight(RecordLength), lineNumber);
            switch (record.Text[0])
            {
                case '0':
                    if (lineNumber != 1) throw Bad(lineNumber, "is a second header record (0): one statement per file");
                    if (record.Text[127] != '2') throw Bad(lineNumber, "is not a CODA version 2 header (column 128 must be 2)");
                    date = record.Date(6);
                    break;
                case '1':
                    (account, currency) = AccountOf(record, record.Text[1], 5);
                    opening = record.Amount(43, 44);
                    number = record.Field(3, 3);
                    break;
                case '2':
                    switch (record.Text[1])
                    {
                        case '1':
                            current = new Movement(record);
                            movements.Add(current);
                            break;
                        case '2':
                            (current ?? throw Bad(lineNumber, "continues a movement (22) that did not start (21)")).Part2(record);
                            break;
                        case '3':
                            (current ?? throw Bad(lineNumber, "continues a movement (23) that did not start (21)")).Part3(record);
                            break;
                        default:
                            throw Bad(lineNumber, $"has an unknown movement record type 2{record.Text[1]}");
                    }
                    break;
                case '3' or '4':
                    break; // information and free messages: nothing to match on
                case '8':
                    closing = record.Amount(42, 43);
                    break;
                case '9':
                    trailerDebit = record.Amount(null, 23);
                    trailerCredit = record.Amount(null, 38);
                    break;
                default:
                    throw Bad(lineNumber, $"starts with '{record.Text[0]}', which is not a CODA record type (0, 1, 2, 3, 4, 8 or 9)");
            }
        }

        if (date is null) throw new StatementFormatException("Line 1 must be the CODA header record (0).");
        if (account is null || opening is null) throw new StatementFormatException("The old balance record (1) is missing.");
        if (closing is null) throw new StatementFormatException("The new balance record (8) is missing.");
        if (trailerDebit is null || trailerCredit is null) throw new StatementFormatException("The trailer record (9) is missing: the file may be cut short.");

        // A globalised movement (detail 0000 with a globalisation code) is followed by its details: the details are what the payers sent.
        var booked = movements.Where(m => !(m.Detail == 0 && m.Globalised && movements.Any(d => d.Sequence == m.Sequence && d.Detail > 0))).ToList();
        var credit = movements.Where(m => m.Detail == 0 && m.Amount > 0).Sum(m => m.Amount);
        var debit = -movements.Where(m => m.Detail == 0 && m.Amount < 0).Sum(m => m.Amount);
        if (credit != trailerCredit || debit != trailerDebit)
            throw new StatementFormatException(string.Create(CultureInfo.InvariantCulture,
                $"The trailer (9) totals credits {trailerCredit} and debits {trailerDebit}, the movements {credit} and {debit}: the file is incomplete or altered."));
        if (opening + credit - debit != closing)
            throw new StatementFormatException(string.Create(CultureInfo.InvariantCulture,
                $"The old balance {opening} with the movements does not give the new balance {closing}."));

        return new StatementFile("CODA", account, currency!, number ?? "", date.Value, opening.Value, closing.Value,
            [.. booked.Select(m => m.ToMovement(account, currency!, date.Value))]);
    }

    /// <summary>
    /// The account and currency of record 1 (and 8, one column earlier): structure 0 Belgian number, 1 foreign number, 2 Belgian IBAN,
    /// 3 foreign IBAN; the currency closes the 37-character zone.
    /// </summary>
    private static (string Account, string Currency) AccountOf(Record record, char structure, int start)
    {
        var zone = record.Text.Substring(start, 37);
        var (account, currency) = structure switch
        {
            '0' => (zone[..12], zone[13..16]),
            '1' => (zone[..34], zone[34..37]),
            '2' => (zone[..16], zone[34..37]),
            '3' => (zone[..34], zone[34..37]),
            _ => throw Bad(record.Line, $"has account structure '{structure}' (column 2 must be 0, 1, 2 or 3)"),
        };
        return (account.Trim(), currency.Trim());
    }

    private static StatementFormatException Bad(int line, string problem) => new($"Line {line} {problem}.");

    /// <summary>A record padded to 128 characters; positions below are CODA's, counted from 1.</summary>
    private readonly record struct Record(string Text, int Line)
    {
        public string Field(int position, int length) => Text.Substring(position - 1, length).Trim();

        /// <summary>The signed amount at <paramref name="position"/> (15 digits, 3 decimals), its sign at <paramref name="signPosition"/> (0 credit, 1 debit).</summary>
        public decimal Amount(int? signPosition, int position)
        {
            var digits = Text.Substring(position - 1, 15);
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var thousandths))
                throw Bad(Line, $"has '{digits}' where an amount of 15 digits belongs (column {position})");
            var amount = thousandths / 1000m;
            return signPosition is { } sign && Text[sign - 1] == '1' ? -amount : amount;
        }

        public int Number(int position, int length)
        {
            var digits = Text.Substring(position - 1, length);
            return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Bad(Line, $"has '{digits}' where a number of {length} digits belongs (column {position})");
        }

        public DateOnly Date(int position)
        {
            var text = Text.Substring(position - 1, 6);
            return DateOnly.TryParseExact(text, "ddMMyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw Bad(Line, $"has '{text}' where a date DDMMYY belongs (column {position})");
        }
    }

    private sealed class Movement(Record first)
    {
        public int Sequence { get; } = first.Number(3, 4);
        public int Detail { get; } = first.Number(7, 4);
        public decimal Amount { get; } = first.Amount(32, 33);
        public bool Globalised { get; } = first.Text[124] is not ('0' or ' ');
        private readonly string bankReference = first.Field(11, 21);
        private readonly DateOnly entryDate = first.Date(116);
        private readonly bool structured = first.Text[61] == '1';
        private readonly string communication = first.Text.Substring(62, 53);
        private string more = "";
        private string? counterpartyAccount;
        private string? counterpartyName;

        public void Part2(Record record) => more += record.Text.Substring(10, 53);

        public void Part3(Record record)
        {
            counterpartyAccount = record.Field(11, 34) is { Length: > 0 } account ? account : null;
            counterpartyName = record.Field(48, 35) is { Length: > 0 } name ? name : null;
            more += record.Text.Substring(82, 43);
        }

        public StatementMovement ToMovement(string account, string currency, DateOnly statementDate)
        {
            // Structured communication type 101 (and 102, its form on card payments): 12 digits in columns 66-77.
            var reference = structured && communication[..3] is "101" or "102" ? communication.Substring(3, 12) : null;
            var free = structured ? (reference is null ? communication[3..] : "") + more : communication + more;
            var key = bankReference.Length > 0
                ? $"CODA {account} {bankReference} {Detail:0000}"
                : string.Create(CultureInfo.InvariantCulture, $"CODA {account} {statementDate:yyyy-MM-dd} {Sequence:0000} {Detail:0000}");
            return new StatementMovement(key, entryDate, Amount, currency)
            {
                Reference = reference,
                Communication = string.Join(' ', free.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
                CounterpartyName = counterpartyName,
                CounterpartyAccount = counterpartyAccount,
            };
        }
    }
}
