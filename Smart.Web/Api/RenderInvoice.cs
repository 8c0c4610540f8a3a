using System.Text.RegularExpressions;
using MediatR;
using Smart.Rules.EInvoicing;
using Smart.Rules.Evaluation;
using Smart.Rules.Plugins;
using Smart.Web.EInvoicing;
using Smart.Web.Pages.Clients;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Clients;
using Smart.Web.Storage.Invoices;
using Smart.Web.Storage.Members;

namespace Smart.Web.Api;

/// <summary>
/// <c>POST /api/v1/render/invoice</c>: the e-invoice an invoice would be sent as, so a partner sees it before anything is issued.
/// The evaluation body plus the document's identity; written by the same code as at issuing (<see cref="InvoiceDocuments"/>), with
/// its PDF embedded, checked against the format's XSD. Nothing is stored or numbered.
/// </summary>
public static partial class RenderInvoice
{
    /// <summary>The body of <c>/api/v1/evaluate/invoice</c> with the document's number, dates and the client's identity.</summary>
    public sealed record Body
    {
        /// <summary>The number the document would carry (e.g. BE-2026-000042): 1 to 20 letters, digits and <c>-/._</c>.</summary>
        public string Number { get; init; } = "";
        /// <summary>The issue date; the rules in force on it apply. <c>date</c> (the evaluation body's name) is accepted instead.</summary>
        public DateOnly? IssueDate { get; init; }
        public DateOnly? Date { get; init; }
        public DateOnly? DueDate { get; init; }
        public string Country { get; init; } = "";
        public string? Issuer { get; init; }
        public string? ServiceLevel { get; init; }
        public Party Client { get; init; } = new();
        public MemberInfo? Member { get; init; }
        public IReadOnlyList<InvoiceLine> Lines { get; init; } = [];
    }

    /// <summary>The evaluation's client fields and who the client is on the document.</summary>
    public sealed record Party
    {
        public string Kind { get; init; } = "";
        public string Country { get; init; } = "";
        public string? VatNumber { get; init; }
        public string? LegalForm { get; init; }
        public string Name { get; init; } = "";
        public string? CompanyNumber { get; init; }
        public Address? Address { get; init; }
        /// <summary>Peppol participant identifier as <c>scheme:id</c> (e.g. 0208:0123456749); derived from the company number when the country's plugin can.</summary>
        public string? PeppolId { get; init; }
        /// <summary>Italy: the SdI channel code (6 or 7 letters and digits).</summary>
        public string? CodiceDestinatario { get; init; }
        public string? Pec { get; init; }
        public string? Email { get; init; }
    }

    public sealed record Address
    {
        public string? Street { get; init; }
        public string? City { get; init; }
        public string? PostalCode { get; init; }
        /// <summary>The client's country when absent.</summary>
        public string? Country { get; init; }
    }

    public sealed record Command(Body Body, string? Format) : IRequest<Reply>;

    /// <summary>The XML and its file name; or the bad fields (400), what the rules or the configuration cannot give (422), a refused country (403).</summary>
    public sealed record Reply(string? Xml, string? FileName, Dictionary<string, string[]>? Invalid, Dictionary<string, string[]>? Unprocessable, string? RefusedCountry)
    {
        public IResult ToHttpResult() =>
            RefusedCountry is not null
                ? Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Country not allowed",
                    detail: $"This API key may not render documents of country '{RefusedCountry}'.")
                : Invalid is not null
                    ? Results.ValidationProblem(Invalid, title: "The document has invalid fields")
                    : Unprocessable is not null
                        ? Results.ValidationProblem(Unprocessable, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No e-invoice can be written for this document")
                        : Results.Text(Xml!, "application/xml", System.Text.Encoding.UTF8);

        public static Reply Bad(Dictionary<string, string[]> errors) => new(null, null, errors, null, null);
        public static Reply Unwritable(Dictionary<string, string[]> errors) => new(null, null, null, errors, null);
    }

    public sealed class Handler(DocumentEvaluator evaluator, InvoiceDocuments documents, PluginCatalog plugins, CurrentUser user) : IRequestHandler<Command, Reply>
    {
        public Task<Reply> Handle(Command command, CancellationToken cancellationToken) => Task.FromResult(Render(command));

        private Reply Render(Command command)
        {
            var body = command.Body;
            var country = CountryCode.Normalise(body.Country);
            if (country.Length > 0 && !user.MayUseCountry(country)) return new Reply(null, null, null, null, country);

            var errors = IdentityErrors(body);
            var format = FormatNamed(country, command.Format, errors);
            var outcome = evaluator.EvaluateInvoice(EvaluationBody(body), explain: false);
            foreach (var (field, messages) in outcome.Errors) errors[field] = messages;
            if (errors.Count > 0) return Reply.Bad(errors);
            if (outcome.NotCovered.Count > 0) return Reply.Unwritable(new Dictionary<string, string[]>(outcome.NotCovered));

            var invoice = new Invoice
            {
                Country = country, Issuer = body.Issuer ?? plugins.Find(country)!.Manifest.DefaultIssuer.Id, Date = DateOf(body)!.Value, DueDate = body.DueDate,
                ServiceLevel = body.ServiceLevel ?? "standard", Status = InvoiceStatus.Issued, Number = body.Number.Trim(), Evaluation = outcome.Value,
                Lines = body.Lines.Select(l => new InvoiceLineItem(l.Description, l.Category, l.Quantity, l.UnitPrice) { WorkKind = l.WorkKind, PerformedIn = l.PerformedIn }).ToList(),
            };
            var client = ClientOf(body.Client);
            format ??= documents.FormatOf(country);
            var document = documents.Document(invoice, outcome.Value!, client, null, invoice.Number!);
            if (!format.Applies(document))
                return Reply.Bad(new() { ["client.peppolId"] = [$"A private person without a Peppol identifier receives no {format.Name} e-invoice: give client.peppolId."] });
            if (format.Missing(document) is { Count: > 0 } missing)
            {
                var (clientData, otherData) = (missing.Where(m => m.Party == "client").ToList(), missing.Where(m => m.Party != "client").ToList());
                if (clientData.Count > 0)
                    return Reply.Bad(clientData.ToDictionary(m => "client." + m.Field, m => new[] { $"The {format.Name} e-invoice needs the client's {m.Field}." }));
                // The issuer's identity is the deployment's configuration (Smart:Issuers), a VAT code the rule files': not the caller's to fix.
                return Reply.Unwritable(otherData.ToDictionary(m => m.Party switch { "seller" => "issuer." + m.Field, "document" => m.Field, _ => "rules." + m.Field },
                    m => new[]
                    {
                        m.Party switch
                        {
                            "seller" => $"The issuing entity has no {m.Field} configured (Smart:Issuers).",
                            "document" => InvoiceDocuments.MixedWithOutOfScope,
                            _ => $"The VAT rules give no {m.Field} for a line.",
                        },
                    }));
            }
            try
            {
                var files = documents.Files(invoice, client, null, format);
                return new Reply(files.Xml, files.XmlFileName, null, null, null);
            }
            catch (EInvoiceSchemaException e)
            {
                // A text the format's schema refuses (too long, a character outside its alphabet): named by the schema's own message.
                return Reply.Unwritable(new() { [DocumentBody.BodyField] = [e.Message] });
            }
        }

        private IEInvoiceFormat? FormatNamed(string country, string? name, Dictionary<string, string[]> errors)
        {
            if (string.IsNullOrWhiteSpace(name) || plugins.Find(country) is null) return null;
            var formats = documents.FormatsOf(country);
            var format = formats.FirstOrDefault(f => string.Equals(f.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
            if (format is null) errors["format"] = [$"{country} invoices are written as {string.Join(" or ", formats.Select(f => f.Name))}, not '{name}'."];
            return format;
        }

        private static DateOnly? DateOf(Body body) => body.IssueDate ?? body.Date;

        private static InvoiceDocument EvaluationBody(Body body) => new()
        {
            Country = body.Country, Date = DateOf(body) ?? default, DueDate = body.DueDate, Issuer = body.Issuer, ServiceLevel = body.ServiceLevel,
            Member = body.Member, Lines = body.Lines,
            Client = new ClientInfo { Kind = body.Client.Kind, Country = body.Client.Country, VatNumber = body.Client.VatNumber, LegalForm = body.Client.LegalForm },
        };

        private Client ClientOf(Party party)
        {
            var country = CountryCode.Normalise(party.Address?.Country ?? party.Country);
            var client = new Client
            {
                Country = country, Kind = Enum.Parse<ClientKind>(party.Kind, ignoreCase: true), Name = party.Name.Trim(), LegalForm = party.LegalForm,
                VatNumber = party.VatNumber, CompanyNumber = party.CompanyNumber, Address = party.Address?.Street, City = party.Address?.City,
                PostalCode = party.Address?.PostalCode, Email = party.Email, CodiceDestinatario = party.CodiceDestinatario?.ToUpperInvariant(), Pec = party.Pec,
            };
            if (party.PeppolId is { } given && given.Split(':', 2) is [var scheme, var id]) return client with { PeppolScheme = scheme, PeppolId = id };
            return client;
        }

        /// <summary>The identity fields' own checks; the evaluation checks the rest (country, dates, lines, client kind).</summary>
        private static Dictionary<string, string[]> IdentityErrors(Body body)
        {
            var errors = new Dictionary<string, string[]>();
            if (!DocumentNumber().IsMatch(body.Number.Trim()))
                errors["number"] = ["The document's number: 1 to 20 letters, digits and - / . _ (e.g. BE-2026-000042)."];
            if (body.IssueDate is { } issued && body.Date is { } date && issued != date)
                errors["issueDate"] = ["issueDate and date are the same date: give one of them."];
            if (DateOf(body) is null) errors["issueDate"] = ["The issue date is required (yyyy-MM-dd)."];
            if (body.DueDate is { } due && DateOf(body) is { } day && due < day) errors["dueDate"] = ["The due date cannot come before the issue date."];
            if (string.IsNullOrWhiteSpace(body.Client.Name)) errors["client.name"] = ["The client's name is required on an e-invoice."];
            if (body.Client.PeppolId is { } peppol && !PeppolParticipant().IsMatch(peppol))
                errors["client.peppolId"] = ["A Peppol participant identifier is scheme:id, the scheme 4 digits (e.g. 0208:0123456749)."];
            if (body.Client.CodiceDestinatario is { } code && !Codice().IsMatch(code))
                errors["client.codiceDestinatario"] = ["A codice destinatario has 6 or 7 letters and digits."];
            if (body.Client.Address?.Country is { } addressCountry && !CountryCode.IsWellFormed(addressCountry))
                errors["client.address.country"] = ["A country is its ISO 3166-1 alpha-2 code (e.g. BE)."];
            return errors;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-/._]{0,19}$")]
    private static partial Regex DocumentNumber();

    [GeneratedRegex(@"^[0-9]{4}:[A-Za-z0-9\-._:]{1,50}$")]
    private static partial Regex PeppolParticipant();

    [GeneratedRegex(ClientFields.CodiceDestinatarioPattern)]
    private static partial Regex Codice();
}
