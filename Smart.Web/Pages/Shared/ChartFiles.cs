namespace Smart.Web.Pages.Shared;

/// <summary>
/// Serves Chart.js (npm package chart.js, pinned in package.json and installed by the build) from node_modules under <see cref="RequestPath"/>,
/// as <see cref="PickerFiles"/> serves Tom Select: the home page's charts. Without it the page keeps the tables that carry the same figures.
/// </summary>
public static class ChartFiles
{
    public const string RequestPath = "/lib/chart.js";

    public static WebApplication UseChartFiles(this WebApplication app) => app.UseNodePackage("chart.js", RequestPath, "charts");
}
