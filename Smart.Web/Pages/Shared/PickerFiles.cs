using Microsoft.Extensions.FileProviders;

namespace Smart.Web.Pages.Shared;

/// <summary>
/// Serves Tom Select (npm package tom-select, pinned in package.json and installed by the build) from node_modules under
/// <see cref="RequestPath"/>, as <see cref="Rules.RuleEditorFiles"/> serves Monaco: the search-as-you-type pickers of member,
/// production unit and client. Without these files the pickers stay the plain selects and number inputs they enhance.
/// </summary>
public static class PickerFiles
{
    public const string RequestPath = "/lib/tom-select";

    public static WebApplication UsePickerFiles(this WebApplication app) => app.UseNodePackage("tom-select", RequestPath, "pickers");

    /// <summary>Serves the dist folder of an npm package of node_modules under <paramref name="requestPath"/>; warns when it is not installed.</summary>
    public static WebApplication UseNodePackage(this WebApplication app, string package, string requestPath, string usedBy)
    {
        var folder = Path.Combine(app.Environment.ContentRootPath, "node_modules", package, "dist");
        if (Directory.Exists(folder))
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = requestPath });
        else
            app.Logger.LogWarning("The {UsedBy}' files are missing at {Folder}: build Smart.Web (it runs npm ci) to install them.", usedBy, folder);
        return app;
    }
}
