using Microsoft.Extensions.FileProviders;

namespace Smart.Web.Pages.Rules;

/// <summary>
/// Serves the Monaco code editor (npm package monaco-editor, pinned in package.json and installed by the build) from node_modules
/// under <see cref="RequestPath"/>: no CDN, and no copy of its thousands of files into wwwroot on every build.
/// </summary>
public static class RuleEditorFiles
{
    public const string RequestPath = "/lib/monaco-editor";

    public static WebApplication UseRuleEditorFiles(this WebApplication app)
    {
        var folder = Path.Combine(app.Environment.ContentRootPath, "node_modules", "monaco-editor", "min");
        if (Directory.Exists(folder))
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = RequestPath });
        else // the editor pages fall back to a plain text area
            app.Logger.LogWarning("The code editor's files are missing at {Folder}: build Smart.Web (it runs npm ci) to install them.", folder);
        return app;
    }
}
