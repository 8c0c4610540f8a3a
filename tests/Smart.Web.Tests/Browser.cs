using System.Net;
using System.Net.Http.Headers;
using AngleSharp;
using AngleSharp.Html.Dom;
using AngleSharp.Io;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Smart.Web.Tests;

/// <summary>
/// A person at a browser: keeps cookies, follows no redirect on its own, reads pages with AngleSharp and submits their
/// forms as a browser would (every field, the anti-forgery token included, with the values the test types in).
/// </summary>
public sealed class Browser(HttpClient client) : IDisposable
{
    public HttpClient Client { get; } = client;

    public static Browser Open(WebApplicationFactory<Program> app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>A browser signed in as this account (the demo password by default); fails the test if sign-in does not succeed.</summary>
    public static async Task<Browser> SignedInAsync(WebApplicationFactory<Program> app, string email, string password = Web.Storage.Accounts.AccountDemoSeed.DemoPassword)
    {
        var browser = Open(app);
        var response = await browser.SignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} answered {(int)response.StatusCode}.");
        return browser;
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var page = await GetPageAsync("/Account/SignIn");
        return await SubmitAsync(page.Forms["sign-in"]!, ("Data.Email", email), ("Data.Password", password));
    }

    /// <summary>GETs a page that must answer 200 and returns its document.</summary>
    public async Task<IHtmlDocument> GetPageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode} {response.Headers.Location}");
        return await DocumentAsync(response);
    }

    /// <summary>Follows one redirect and returns the page it leads to.</summary>
    public async Task<IHtmlDocument> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.True(redirect.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"Expected a redirect, got {(int)redirect.StatusCode}: {await redirect.Content.ReadAsStringAsync()}");
        return await GetPageAsync(redirect.Headers.Location!.OriginalString);
    }

    public static async Task<IHtmlDocument> DocumentAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var address = response.RequestMessage!.RequestUri!.ToString();
        var document = await BrowsingContext.New().OpenAsync(r => r.Content(html).Address(address));
        return (IHtmlDocument)document;
    }

    /// <summary>
    /// Submits a form: text fields and selects named in <paramref name="values"/> get that value; a checkbox is ticked when
    /// its name and value are given (each name given replaces the form's ticks for that name); a submit button given by name and
    /// value is the one clicked; everything else as rendered.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(IHtmlFormElement form, params (string Name, string Value)[] values)
    {
        var submitter = Fill(form, values);
        var submission = (submitter is null ? form.GetSubmission() : form.GetSubmission(submitter))!;
        var request = new HttpRequestMessage(new System.Net.Http.HttpMethod(submission.Method.ToString().ToUpperInvariant()), submission.Target.Href);
        if (submission.Method == AngleSharp.Io.HttpMethod.Post)
        {
            request.Content = new StreamContent(submission.Body);
            foreach (var header in submission.Headers.Where(h => h.Key == HeaderNames.ContentType))
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>
    /// Posts a multipart form as a browser does with files chosen: the fields as <see cref="SubmitAsync"/> fills them, each file under its
    /// input's name (a file input without one sends nothing), to <paramref name="button"/>'s form action when given (a "Calculate" button).
    /// </summary>
    public async Task<HttpResponseMessage> SubmitWithFilesAsync(IHtmlFormElement form, IHtmlButtonElement? button, IReadOnlyDictionary<string, (string FileName, byte[] Content)> files,
        params (string Name, string Value)[] values)
    {
        Fill(form, values);
        var content = new MultipartFormDataContent();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element is IHtmlButtonElement) continue;
            switch (element)
            {
                case IHtmlInputElement { Type: "file" }:
                    if (files.TryGetValue(name, out var file))
                    {
                        var bytes = new ByteArrayContent(file.Content);
                        // The browser's word on the type is not believed by the app: it reads the bytes.
                        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                        content.Add(bytes, name, file.FileName);
                    }
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio", IsChecked: false }:
                    break;
                case IHtmlInputElement input:
                    content.Add(new StringContent(input.Value ?? ""), name);
                    break;
                case IHtmlSelectElement select:
                    content.Add(new StringContent(select.Value ?? ""), name);
                    break;
                case IHtmlTextAreaElement text:
                    content.Add(new StringContent(text.Value ?? ""), name);
                    break;
            }
        }
        var action = button?.GetAttribute("formaction") is { Length: > 0 } formAction ? formAction : form.Action;
        return await Client.PostAsync(action, content);
    }

    /// <summary>Sets the fields named in <paramref name="values"/> (see <see cref="SubmitAsync"/>); returns the submit button given, if any.</summary>
    private static IHtmlElement? Fill(IHtmlFormElement form, (string Name, string Value)[] values)
    {
        var given = values.ToLookup(v => v.Name, v => v.Value);
        IHtmlElement? submitter = null;
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                // A named submit button given with its value is the one clicked, as the language picker's EN/FR/NL.
                case IHtmlButtonElement { Type: "submit" } button when given[button.Name ?? ""].Contains(button.Value):
                    submitter = button;
                    break;
                case IHtmlInputElement { Type: "checkbox" or "radio" } box when given.Contains(box.Name!):
                    box.IsChecked = given[box.Name!].Contains(box.Value);
                    break;
                case IHtmlInputElement input when given.Contains(input.Name!):
                    input.Value = given[input.Name!].Last();
                    break;
                case IHtmlSelectElement select when given.Contains(select.Name!):
                    select.Value = given[select.Name!].Last();
                    break;
                case IHtmlTextAreaElement text when given.Contains(text.Name!):
                    text.Value = given[text.Name!].Last();
                    break;
            }
        }
        return submitter;
    }

    public void Dispose() => Client.Dispose();
}
