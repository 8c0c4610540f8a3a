using System.Reflection;
using MemberInfo = Smart.Rules.Evaluation.MemberInfo;
using Smart.Rules.Evaluation;

namespace Smart.Rules.Tests;

/// <summary>
/// An evaluation without trace reuses its thread's facts objects, and a rule's locals run as one delegate that stores only what is
/// read: nothing of one document may reach the next, and the figures must be those of an evaluation with trace (fresh objects,
/// every local stored).
/// </summary>
public class EvaluatorReuseTests
{
    public static TheoryData<Type> FactTypes => [typeof(DocumentFacts), typeof(LineFacts), typeof(ClientFacts), typeof(IssuerFacts), typeof(MemberFacts)];

    [Theory]
    [MemberData(nameof(FactTypes))]
    public void Reset_gives_every_field_its_value_in_a_new_object(Type type)
    {
        var fresh = Activator.CreateInstance(type)!;
        var used = Activator.CreateInstance(type)!;
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance);
        Assert.NotEmpty(fields);
        foreach (var field in fields) field.SetValue(used, Different(field.FieldType, field.GetValue(fresh)));
        type.GetMethod("Reset", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(used, null);
        foreach (var field in fields) Assert.True(Equals(field.GetValue(fresh), field.GetValue(used)), $"{type.Name}.{field.Name} is not reset");
    }

    private static object Different(Type type, object? value) =>
        type == typeof(string) ? value + "x"
        : type == typeof(int) ? (int)value! + 7
        : type == typeof(decimal) ? (decimal)value! + 7.5m
        : type == typeof(bool) ? !(bool)value!
        : throw new InvalidOperationException($"a field of type {type.Name}: teach this test to change it");

    [Fact]
    public void Documents_evaluated_in_turn_without_trace_give_what_each_gives_with_one()
    {
        var evaluator = Repo.Evaluator;
        InvoiceDocument[] invoices =
        [
            // Author rights above the share cap (the rule with thirteen locals), for a member with income and an attestation.
            Invoices.Belgian(category: "author-rights", unitPrice: 30_000m) with
            {
                Member = new MemberInfo { AuthorRightsYearToDate = 1_000m, ProfessionalIncomeYearToDate = 20_000m, HasArtistAttestation = true },
                Lines = [new InvoiceLine { Description = "Rights", Category = "author-rights", Quantity = 1, UnitPrice = 30_000m },
                         new InvoiceLine { Description = "Work", Category = "service", Quantity = 2, UnitPrice = 400m }],
            },
            // A consumer (Book XIX's penalty cap), a performance given abroad, software rights at 21 %.
            Invoices.Belgian(category: "artistic-performance") with
            {
                Client = new ClientInfo { Kind = "individual", Country = "BE" },
                Lines = [new InvoiceLine { Description = "Concert", Category = "artistic-performance", Quantity = 1, UnitPrice = 700m, PerformedIn = "FR" },
                         new InvoiceLine { Description = "Licence", Category = "author-rights", WorkKind = "software", Quantity = 1, UnitPrice = 300m }],
            },
            // A French business (reverse charge, a VAT number checked), then a plain invoice with no member at all.
            Invoices.Belgian(clientCountry: "FR") with { Client = new ClientInfo { Kind = "business", Country = "FR", VatNumber = "FR44732829320" } },
            Invoices.Belgian() with { Member = null },
        ];
        foreach (var first in invoices)
            foreach (var second in invoices)
            {
                evaluator.EvaluateInvoice(first, explain: false);
                var bulk = evaluator.EvaluateInvoice(second, explain: false).Value!;
                var traced = evaluator.EvaluateInvoice(second).Value!;
                Assert.True(bulk.Same(traced), $"{second.Lines[0].Category} after {first.Lines[0].Category}");
                Assert.Equal(traced.AuthorRights, bulk.AuthorRights);
                Assert.Equal(traced.LatePayment?.PenaltyCap, bulk.LatePayment?.PenaltyCap);
                Assert.Empty(bulk.Trace);
            }
        // The case the first invoice is there for: a share-cap excess and a withholding, so the rule's named locals were read.
        var rights = evaluator.EvaluateInvoice(invoices[0], explain: false).Value!.AuthorRights!;
        Assert.True(rights.AboveShareCap > 0 && rights.Withholding > 0 && rights.LumpSumDeduction > 0, $"{rights}");
    }
}
