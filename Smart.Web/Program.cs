using MediatR;
using Smart.Web.Api;
using Smart.Web.Hosting;
using Smart.Web.Security;
using Smart.Web.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRuleBook();
builder.Services.AddStorage();
builder.Services.AddDirectoryStores();
builder.Services.AddSecurity();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddRazorPages();

// MediatR 5.1.0 has no DI package here: the mediator, its service factory and each handler are registered by hand.
builder.Services.AddScoped<ServiceFactory>(sp => type => sp.GetService(type)!);
builder.Services.AddScoped<IMediator, Mediator>();
builder.Services.AddEvaluationApi();

var app = builder.Build();
app.Services.LoadRuleBook();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

// The API description is documentation for partners, not data: anyone may read it.
app.MapOpenApi().AllowAnonymous();
app.MapRazorPages();
app.MapEvaluationApi();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
