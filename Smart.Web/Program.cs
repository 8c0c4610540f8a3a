using MediatR;
using Smart.Web.BankStatements;
using Smart.Web.Budget;
using Smart.Web.Corrections;
using Smart.Web.Api;
using Smart.Web.Behaviours;
using Smart.Web.Hosting;
using Smart.Web.Jobs;
using Smart.Web.Localization;
using Smart.Web.Pages.Clients;
using Smart.Web.Pages.Contracts;
using Smart.Web.Pages.ExpenseClaims;
using Smart.Web.Pages.Find;
using Smart.Web.Pages.Invoices;
using Smart.Web.Pages.Members;
using Smart.Web.Pages.ProductionUnits;
using Smart.Web.Pages.Reevaluation;
using Smart.Web.Pages.Rules;
using Smart.Web.Pages.Rules.Simulations;
using Smart.Web.Pages.Shared;
using Smart.Web.Pages.ThreeInOne;
using Smart.Web.Security;
using Smart.Web.Storage;
using Smart.Web.Storage.Accounts;
using Smart.Web.Storage.PostgreSql;

var builder = WebApplication.CreateBuilder(args);
// `dotnet Smart.Web.dll migrate`: applies the server mode's schema migrations and exits (README, "Server mode").
if (args is [SchemaMigrations.Command, ..])
{
    Environment.ExitCode = await SchemaMigrations.RunCommandAsync(builder.Configuration);
    return;
}
// `dotnet Smart.Web.dll move-to-postgresql --from DATA_DIR --to CONNECTION`: copies a LiteDB store into an empty PostgreSQL database and
// compares both sides (README, "Moving up to server mode").
if (args is [Smart.Web.Storage.MoveUp.MoveUpCommand.Command, ..])
{
    Environment.ExitCode = await Smart.Web.Storage.MoveUp.MoveUpCommand.RunAsync(args, Console.Out, Console.Error);
    return;
}

builder.Services.AddRuleBook();
builder.Services.AddSmartStorage(builder.Configuration);
builder.Services.AddBudget();
builder.Services.AddSecurity();
builder.Services.AddRateLimits();
builder.Services.AddReverseProxy();
builder.Services.AddAccounts();
builder.Services.AddIntranetLocalization();
builder.Services.AddModelBindingMessages();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi(options => options.AddSchemaTransformer<Smart.Web.Api.EvaluationSchemas>());
builder.Services.AddRazorPages(options => options.Conventions.AuthorizeFolder("/Admin", SecurityServices.AdministratorPolicy))
    .AddMvcOptions(options =>
    {
        options.Filters.Add<RequestOutcomePageFilter>();
        options.ModelBinderProviders.Insert(0, new DecimalModelBinderProvider());
        options.ModelMetadataDetailsProviders.Add(new ValidationMessageKeys());
    })
    .AddViewLocalization()
    .AddDataAnnotationsLocalization(options => options.DataAnnotationLocalizerProvider = PageResources.For);

// MediatR 5.1.0 has no DI package here: the mediator and its service factory are registered by hand, the handlers by a scan.
builder.Services.AddScoped<ServiceFactory>(sp => type => sp.GetService(type)!);
builder.Services.AddScoped<IMediator, Mediator>();
builder.Services.AddRequestBehaviours();
builder.Services.AddRequestHandlers(typeof(Program).Assembly);
builder.Services.AddFoundationPages();
builder.Services.AddInvoicePages();
builder.Services.AddContractPages();
builder.Services.AddExpenseClaimPages();
builder.Services.AddFindPages();
builder.Services.AddRulePages();
builder.Services.AddRuleSimulationPages();
builder.Services.AddCorrectionRuns();
builder.Services.AddEvaluationApi();
builder.Services.AddJobs();

var app = builder.Build();
app.Services.LoadRuleBook();

// First: every later step (HTTPS redirection, the rate limits' address, secure cookies) sees the client's address and scheme.
app.UseForwardedHeaders();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}
app.UseExceptionHandler();
// The API answers problem+json; a person in a browser gets a page in their language.
app.UseWhen(context => SecurityServices.IsApiRequest(context.Request), api => api.UseStatusCodePages());
app.UseWhen(context => !SecurityServices.IsApiRequest(context.Request), pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
// Before authentication: the sign-in page needs its stylesheet.
app.UseStaticFiles();
app.UseRuleEditorFiles();
app.UsePickerFiles();
app.UseChartFiles();
// Routing after the status-code pages, so a re-executed /status/{code} request finds its page (and its AllowAnonymous).
app.UseRouting();
app.UseRequestLocalization();
// Before authentication, so a flood of API calls is refused before each key is looked up.
app.UseRateLimits();
app.UseAuthentication();
app.UseAuthorization();

// The API description is documentation for partners, not data: anyone may read it.
app.MapOpenApi().AllowAnonymous();
app.MapRazorPages();
app.MapEvaluationApi();
app.MapInvoiceApi();
app.MapJobDashboard();
app.MapStorageHealth();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
