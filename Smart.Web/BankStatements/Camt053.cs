using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Smart.Web.BankStatements;

/// <summary>
/// ISO 20022 bank-to-customer statements (camt.053, any version: elements are matched by local name). One statement per file is read:
/// the account (IBAN), the opening (OPBD/PRCD) and closing (CLBD) booked balances, and each booked entry — an entry that batches several
/// transactions (one per <c>TxDtls</c> with its own amount) gives one movement per transaction, as each has its own payer and reference.
/// </summary>
public static class Camt053
{
    public static StatementFile Read(string text)
    {
        XDocument document;
        try
        {
            // No DTD, no external entities: a statement is data from outside.
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new StatementFormatException($"The XML is not well-formed (line {e.LineNumber}, position {e.LinePosition}): {e.Message}");
        }

        if (document.Root is not { Name.LocalName: "Document" } root || !root.Name.NamespaceName.Contains("camt.053", StringComparison.Ordinal))
            throw new StatementFormatException("The XML is not an ISO 20022 camt.053 statement (its root must be Document in a camt.053 namespace).");
        var statements = root.Descendants().Where(e => e.Name.LocalName == "Stmt").ToList();
        if (statements.Count != 1) throw new StatementFormatException($"The file holds {statements.Count} statements (Stmt); import one statement per file.");
        var statement = statements[0];

        var account = Required(statement, "Acct/Id/IBAN") is var iban ? iban.Value.Trim() : "";
        var currency = Child(statement, "Acct/Ccy")?.Value.Trim() ?? "";
        var number = Child(statement, "ElctrncSeqNb")?.Value.Trim() ?? Required(statement, "Id").Value.Trim();
        var balances = statement.Elements().Where(e => e.Name.LocalName == "Bal").ToList();
        var opening = Balance(balances, "OPBD", "PRCD") ?? throw new StatementFormatException("The statement has no opening booked balance (Bal with code OPBD or PRCD).");
        var closing = Balance(balances, "CLBD") ?? throw new StatementFormatException("The statement has no closing booked balance (Bal with code CLBD).");
        if (currency.Length == 0) currency = opening.Currency;

        var movements = new List<StatementMovement>();
        var entryNumber = 0;
        foreach (var entry in statement.Elements().Where(e => e.Name.LocalName == "Ntry"))
        {
            entryNumber++;
            var status = Child(entry, "Sts/Cd")?.Value ?? Child(entry, "Sts")?.Value;
            if (status?.Trim() is { } s && s != "BOOK") continue; // pending or informational entries are not money on the account yet
            var amount = Amount(entry);
            var date = DateOf(Child(entry, "BookgDt") ?? Child(entry, "ValDt"), entry) ?? throw Bad(entry, "Ntry has no booking date (BookgDt) nor value date (ValDt)");
            var entryReference = Child(entry, "AcctSvcrRef")?.Value.Trim() ?? Child(entry, "NtryRef")?.Value.Trim();
            var transactions = entry.Descendants().Where(e => e.Name.LocalName == "TxDtls").ToList();
            if (transactions.Count <= 1)
            {
                movements.Add(MovementOf(transactions.FirstOrDefault(), amount, date, Key(account, entryReference, entryNumber, 0)));
                continue;
            }
            var index = 0;
            foreach (var transaction in transactions)
            {
                index++;
                var own = Child(transaction, "Amt") is { } a ? amount with { Value = ValueOf(a) } : amount;
                var reference = Child(transaction, "Refs/AcctSvcrRef")?.Value.Trim() ?? Child(transaction, "Refs/EndToEndId")?.Value.Trim();
                movements.Add(MovementOf(transaction, own, date, reference is { Length: > 0 } and not "NOTPROVIDED"
                    ? Key(account, reference, 0, 0) : Key(account, entryReference, entryNumber, index)));
            }
        }

        var statementDate = DateOf(Child(statement, "CreDtTm"), statement) ?? closing.Date;
        return new StatementFile("camt.053", account, currency, number, statementDate, opening.Amount, closing.Amount, movements);
    }

    private static string Key(string account, string? reference, int entry, int transaction) => reference is { Length: > 0 }
        ? $"camt {account} {reference}{(transaction > 0 ? $" {transaction}" : "")}"
        : string.Create(CultureInfo.InvariantCulture, $"camt {account} entry {entry} {transaction}");

    private static StatementMovement MovementOf(XElement? transaction, EntryAmount amount, DateOnly date, string key)
    {
        var debtorSide = amount.Credit; // money received: the payer is the debtor
        var party = transaction is null ? null : Child(transaction, debtorSide ? "RltdPties/Dbtr" : "RltdPties/Cdtr");
        var name = party is null ? null : Child(party, "Nm")?.Value ?? Child(party, "Pty/Nm")?.Value;
        var partyAccount = transaction is null ? null : Child(transaction, debtorSide ? "RltdPties/DbtrAcct/Id/IBAN" : "RltdPties/CdtrAcct/Id/IBAN")?.Value;
        var remittance = transaction is null ? null : Child(transaction, "RmtInf");
        var reference = remittance?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Ref" && e.Parent?.Name.LocalName == "CdtrRefInf")?.Value.Trim();
        var free = remittance is null ? "" : string.Join(' ', remittance.Elements().Where(e => e.Name.LocalName == "Ustrd").Select(e => e.Value.Trim()));
        return new StatementMovement(key, date, amount.Signed, amount.Currency)
        {
            Reference = reference is { Length: > 0 } ? reference : null,
            Communication = free,
            CounterpartyName = name?.Trim(),
            CounterpartyAccount = partyAccount?.Trim(),
        };
    }

    private readonly record struct EntryAmount(decimal Value, string Currency, bool Credit)
    {
        public decimal Signed => Credit ? Value : -Value;
    }

    private static EntryAmount Amount(XElement entry)
    {
        var amount = Required(entry, "Amt");
        var indicator = Required(entry, "CdtDbtInd").Value.Trim();
        if (indicator is not ("CRDT" or "DBIT")) throw Bad(entry, $"CdtDbtInd '{indicator}' is neither CRDT nor DBIT");
        return new EntryAmount(ValueOf(amount), amount.Attribute("Ccy")?.Value ?? "", indicator == "CRDT");
    }

    private static decimal ValueOf(XElement amount) =>
        decimal.TryParse(amount.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(amount, $"'{amount.Value.Trim()}' is not an amount (digits with a point, e.g. 121.00)");

    private sealed record BalanceFigure(decimal Amount, string Currency, DateOnly Date);

    private static BalanceFigure? Balance(List<XElement> balances, params string[] codes)
    {
        var balance = balances.FirstOrDefault(b => Child(b, "Tp/CdOrPrtry/Cd")?.Value.Trim() is { } code && codes.Contains(code));
        if (balance is null) return null;
        var amount = Amount(balance);
        return new BalanceFigure(amount.Signed, amount.Currency, DateOf(Child(balance, "Dt"), balance) ?? default);
    }

    /// <summary>A <c>Dt</c> or <c>DtTm</c> child's date (or the element's own text when it is a date-time).</summary>
    private static DateOnly? DateOf(XElement? element, XElement context)
    {
        if (element is null) return null;
        var text = (Child(element, "Dt") ?? Child(element, "DtTm") ?? element).Value.Trim();
        if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        throw Bad(context, $"'{text}' is not a date (yyyy-MM-dd)");
    }

    /// <summary>The first element at a path of local names below <paramref name="parent"/>.</summary>
    private static XElement? Child(XElement parent, string path)
    {
        XElement? current = parent;
        foreach (var name in path.Split('/'))
        {
            current = current.Elements().FirstOrDefault(e => e.Name.LocalName == name);
            if (current is null) return null;
        }
        return current;
    }

    private static XElement Required(XElement parent, string path) =>
        Child(parent, path) ?? throw Bad(parent, $"{parent.Name.LocalName} has no {path}");

    private static StatementFormatException Bad(XElement element, string problem) =>
        new(element is IXmlLineInfo info && info.HasLineInfo() ? $"Line {info.LineNumber}: {problem}." : $"{problem}.");
}
