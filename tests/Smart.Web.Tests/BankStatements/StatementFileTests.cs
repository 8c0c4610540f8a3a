using System.Text;
using Smart.Web.BankStatements;

namespace Smart.Web.Tests.BankStatements;

/// <summary>Reading CODA and camt.053 files: what matching needs comes out, and a broken file is refused naming where.</summary>
public class StatementFileTests
{
    private static readonly DateOnly Day = new(2026, 11, 30);

    [Fact]
    public void A_CODA_file_gives_its_account_balances_and_each_movement_with_its_reference_and_payer()
    {
        var coda = new CodaWriter("BE68539007547034", Day, opening: 500m)
            .Received(1210m, structured: "+++090/9337/55493+++", name: "Studio Lumière SRL", account: "BE71096123456769")
            .Received(99.5m, free: "Invoice BE-2026-000042 thanks", name: "Jan Peeters")
            .PaidOut(40m, "Bank costs");

        var statement = StatementFile.Read(coda.Bytes());

        Assert.Equal("CODA", statement.Format);
        Assert.Equal("BE68539007547034", statement.Account);
        Assert.Equal("EUR", statement.Currency);
        Assert.Equal(Day, statement.Date);
        Assert.Equal(500m, statement.OpeningBalance);
        Assert.Equal(500m + 1210m + 99.5m - 40m, statement.ClosingBalance);
        Assert.Equal([1210m, 99.5m, -40m], statement.Movements.Select(m => m.Amount));
        var structured = statement.Movements[0];
        Assert.Equal("090933755493", structured.Reference);
        // Latin-1, as Belgian banks write it: the accent survives.
        Assert.Equal("Studio Lumière SRL", structured.CounterpartyName);
        Assert.Equal("BE71096123456769", structured.CounterpartyAccount);
        Assert.Null(statement.Movements[1].Reference);
        Assert.Equal("Invoice BE-2026-000042 thanks", statement.Movements[1].Communication);
        Assert.Equal(3, statement.Movements.Select(m => m.Key).Distinct().Count());
    }

    [Fact]
    public void A_CODA_file_whose_trailer_disagrees_with_its_movements_is_refused()
    {
        var coda = new CodaWriter("BE68539007547034", Day).Received(100m, free: "x").Received(50m, free: "y");
        var refused = Assert.Throws<StatementFormatException>(() => StatementFile.Read(coda.Bytes(trailerCredit: 100m)));
        Assert.Contains("trailer", refused.Message);
    }

    [Fact]
    public void A_CODA_record_with_letters_in_an_amount_names_its_line_and_column()
    {
        var lines = new CodaWriter("BE68539007547034", Day).Received(100m, free: "x").Text().Split("\r\n");
        lines[2] = lines[2][..32] + "00000000ABC0000" + lines[2][47..];
        var refused = Assert.Throws<StatementFormatException>(() => StatementFile.Read(Encoding.Latin1.GetBytes(string.Join("\r\n", lines))));
        Assert.StartsWith("Line 3 ", refused.Message);
        Assert.Contains("column 33", refused.Message);
    }

    [Fact]
    public void A_file_that_is_neither_CODA_nor_camt_053_is_refused() =>
        Assert.Throws<StatementFormatException>(() => StatementFile.Read("Date;Amount\n2026-11-30;12.00\n"u8));

    [Fact]
    public void A_camt_053_statement_gives_each_booked_transaction_with_its_creditor_reference_and_debtor()
    {
        var statement = StatementFile.Read(Encoding.UTF8.GetBytes(Camt053Sample.Text));

        Assert.Equal("camt.053", statement.Format);
        Assert.Equal("FR7630006000011234567890189", statement.Account);
        Assert.Equal(1000m, statement.OpeningBalance);
        Assert.Equal(1000m + 600m + 250m - 30m, statement.ClosingBalance);
        // The batched entry gives one movement per transaction; the pending entry gives none.
        Assert.Equal([600m, 200m, 50m, -30m], statement.Movements.Select(m => m.Amount));
        Assert.Equal("RF18539007547034", statement.Movements[0].Reference);
        Assert.Equal("Atelier Dupont SARL", statement.Movements[0].CounterpartyName);
        Assert.Equal("FR1420041010050500013M02606", statement.Movements[0].CounterpartyAccount);
        Assert.Equal("Facture FR-2026-000007", statement.Movements[2].Communication);
        Assert.Equal(4, statement.Movements.Select(m => m.Key).Distinct().Count());
    }

    [Fact]
    public void A_camt_053_with_a_DTD_is_refused_rather_than_expanded() =>
        Assert.Throws<StatementFormatException>(() => StatementFile.Read(Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x \"y\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&x;</Document>")));

    [Fact]
    public void A_camt_053_amount_that_is_not_a_number_names_its_line()
    {
        var refused = Assert.Throws<StatementFormatException>(() => StatementFile.Read(Encoding.UTF8.GetBytes(Camt053Sample.Text.Replace(">600.00<", ">six cents<"))));
        Assert.StartsWith("Line ", refused.Message);
        Assert.Contains("six cents", refused.Message);
    }
}

/// <summary>A camt.053.001.02 statement as a French bank sends it: a single payment, a batch of two, a pending entry and a fee.</summary>
public static class Camt053Sample
{
    public const string Text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>STMT-2026-11-30</MsgId><CreDtTm>2026-11-30T18:00:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>STMT-334</Id>
              <ElctrncSeqNb>334</ElctrncSeqNb>
              <CreDtTm>2026-11-30T18:00:00</CreDtTm>
              <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
              <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-29</Dt></Dt></Bal>
              <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1820.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-30</Dt></Dt></Bal>
              <Ntry>
                <NtryRef>1</NtryRef><Amt Ccy="EUR">600.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
                <BookgDt><Dt>2026-11-30</Dt></BookgDt><ValDt><Dt>2026-11-30</Dt></ValDt><AcctSvcrRef>BANK-0001</AcctSvcrRef>
                <NtryDtls><TxDtls>
                  <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                  <RltdPties><Dbtr><Nm>Atelier Dupont SARL</Nm></Dbtr><DbtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></DbtrAcct></RltdPties>
                  <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf>
                </TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <NtryRef>2</NtryRef><Amt Ccy="EUR">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
                <BookgDt><Dt>2026-11-30</Dt></BookgDt><AcctSvcrRef>BANK-0002</AcctSvcrRef>
                <NtryDtls>
                  <TxDtls><Refs><EndToEndId>E2E-A</EndToEndId></Refs><Amt Ccy="EUR">200.00</Amt><RltdPties><Dbtr><Nm>Mairie de Lyon</Nm></Dbtr></RltdPties></TxDtls>
                  <TxDtls><Refs><EndToEndId>E2E-B</EndToEndId></Refs><Amt Ccy="EUR">50.00</Amt><RltdPties><Dbtr><Nm>Claire Martin</Nm></Dbtr></RltdPties>
                    <RmtInf><Ustrd>Facture FR-2026-000007</Ustrd></RmtInf></TxDtls>
                </NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="EUR">75.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt>
              </Ntry>
              <Ntry>
                <NtryRef>3</NtryRef><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-30</Dt></BookgDt><AcctSvcrRef>BANK-0003</AcctSvcrRef>
              </Ntry>
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;
}
