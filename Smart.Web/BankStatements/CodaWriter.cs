using System.Globalization;
using System.Text;

namespace Smart.Web.BankStatements;

/// <summary>
/// Writes a CODA file as a Belgian bank would (Febelfin CODA 2: records of 128 characters, fields at fixed positions), so tests can import
/// statements whose movements they choose, and so the demo seed has a statement to import. Positions below are the standard's, counted from 1.
/// </summary>
public sealed class CodaWriter(string iban, DateOnly date, decimal opening = 1000m)
{
    private readonly List<Movement> movements = [];
    // Banks number their movements uniquely; each file written here gets its own numbers, so two tests' files never share a movement.
    private readonly string file = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private sealed record Movement(decimal Amount, string? Structured, string Free, string? Name, string? Account, string BankReference);

    /// <summary>Money received; <paramref name="structured"/> is a structured communication (+++…+++ or its 12 digits).</summary>
    public CodaWriter Received(decimal amount, string? structured = null, string free = "", string? name = null, string? account = null) =>
        Add(amount, structured, free, name, account);

    public CodaWriter PaidOut(decimal amount, string free, string? name = null) => Add(-amount, null, free, name, null);

    private CodaWriter Add(decimal amount, string? structured, string free, string? name, string? account)
    {
        movements.Add(new Movement(amount, structured, free, name, account, $"{file}{date:yyMMdd}{movements.Count + 1:000000}"));
        return this;
    }

    /// <summary>The file; <paramref name="trailerCredit"/> replaces the trailer's credit total (to write a file that lies about its totals).</summary>
    public string Text(decimal? trailerCredit = null)
    {
        var lines = new List<string>();
        var day = date.ToString("ddMMyy", CultureInfo.InvariantCulture);
        lines.Add(Record('0').At(2, "0000").At(6, day).At(12, "300").At(15, "05").At(35, "SMART COOP").At(128, "2").Text);
        lines.Add(Record('1').At(2, "2").At(3, "001").At(6, iban).At(40, "EUR").Amount(43, opening).At(59, day).At(65, "SMART").At(126, "001").Text);
        var sequence = 0;
        foreach (var m in movements)
        {
            sequence++;
            var structured = m.Structured is { } s ? new string([.. s.Where(char.IsDigit)]) : null;
            var first = Record('2').At(2, "1").At(3, $"{sequence:0000}").At(7, "0000").At(11, m.BankReference).Amount(32, m.Amount).At(48, day).At(54, "00150000")
                .At(62, structured is null ? "0" : "1").At(63, structured is null ? Cut(m.Free, 53) : "101" + structured).At(116, day).At(122, "001").At(125, "0")
                .At(126, "1").At(128, "0");
            lines.Add(first.Text);
            lines.Add(Record('2').At(2, "2").At(3, $"{sequence:0000}").At(7, "0000").At(11, structured is null ? Cut(m.Free.Length > 53 ? m.Free[53..] : "", 53) : Cut(m.Free, 53))
                .At(126, "1").At(128, "0").Text);
            lines.Add(Record('2').At(2, "3").At(3, $"{sequence:0000}").At(7, "0000").At(11, m.Account ?? "").At(48, Cut(m.Name ?? "", 35)).At(126, "0").At(128, "0").Text);
        }
        var credit = movements.Where(m => m.Amount > 0).Sum(m => m.Amount);
        var debit = -movements.Where(m => m.Amount < 0).Sum(m => m.Amount);
        lines.Add(Record('8').At(2, "001").At(5, iban).At(39, "EUR").Amount(42, opening + credit - debit).At(58, day).Text);
        lines.Add(Record('9').At(17, $"{lines.Count - 1:000000}").Amount(null, 23, debit).Amount(null, 38, trailerCredit ?? credit).At(128, "2").Text);
        return string.Join("\r\n", lines) + "\r\n";
    }

    public byte[] Bytes(decimal? trailerCredit = null) => Encoding.Latin1.GetBytes(Text(trailerCredit));

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;

    private static Line Record(char type) => new Line().At(1, type.ToString());

    private sealed class Line
    {
        private readonly char[] text = new string(' ', 128).ToCharArray();

        public string Text => new(text);

        public Line At(int position, string value)
        {
            value.CopyTo(0, text, position - 1, value.Length);
            return this;
        }

        /// <summary>A signed amount: its sign (0 credit, 1 debit) at <paramref name="position"/>, 15 digits with 3 decimals after it.</summary>
        public Line Amount(int position, decimal amount) => At(position, amount < 0 ? "1" : "0").Amount(null, position + 1, Math.Abs(amount));

        public Line Amount(int? signPosition, int position, decimal amount)
        {
            if (signPosition is { } sign) At(sign, amount < 0 ? "1" : "0");
            return At(position, ((long)(Math.Abs(amount) * 1000m)).ToString("000000000000000", CultureInfo.InvariantCulture));
        }
    }
}
