using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using Smart.Web.Storage;
using Smart.Web.Storage.Audit;
using Smart.Web.Storage.RuleSets;

namespace Smart.Web.Tests.Rules;

/// <summary>Drafts as the rule-set pages make them, and the editor's check request, for the tests of the compliance workflow.</summary>
public static class Drafts
{
    /// <summary>A draft of the rule set in force, as the rule set's "New draft" button makes it.</summary>
    public static async Task<RuleSetVersion> NewAsync(SmartWebFactory app, string key, string author)
    {
        var store = app.Services.GetRequiredService<IRuleSetStore>();
        var inForce = (await store.HistoryAsync(key)).First(v => v.Status == RuleSetVersionStatus.Published);
        return await store.AddDraftAsync(key, inForce.Country, inForce.Topic, inForce.Text, inForce.Id, new AuditActor(author));
    }

    /// <summary>The editor's request: the text being edited, the anti-forgery token in its header, JSON back.</summary>
    public static async Task<JsonElement> CheckJsonAsync(Browser browser, IHtmlDocument page, int id, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/Rules/Edit/{id}?handler=Check")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Data.Text"] = text }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("RequestVerificationToken", page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value"));
        var response = await browser.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
