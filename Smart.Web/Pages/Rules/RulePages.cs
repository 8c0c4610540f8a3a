using MediatR;

namespace Smart.Web.Pages.Rules;

public static class RulePages
{
    /// <summary>The rule-set browser, history, export and import, and the four-eyes workflow.</summary>
    public static IServiceCollection AddRulePages(this IServiceCollection services)
    {
        services.AddScoped<RuleSetDrafts>();
        services.AddScoped<IRequestHandler<IndexModel.Query, IndexModel.Result>, IndexModel.Handler>();
        services.AddScoped<IRequestHandler<RuleSetModel.Query, RuleSetModel.Result>, RuleSetModel.Handler>();
        services.AddScoped<IRequestHandler<RuleSetModel.NewDraft, Storage.RuleSetVersion>, RuleSetModel.NewDraftHandler>();
        services.AddScoped<IRequestHandler<VersionModel.Query, VersionModel.Result>, VersionModel.Handler>();
        services.AddScoped<IRequestHandler<VersionModel.Export, Storage.RuleSetVersion>, VersionModel.ExportHandler>();
        services.AddScoped<IRequestHandler<VersionModel.Republish, Storage.RuleSetVersion>, VersionModel.RepublishHandler>();
        services.AddScoped<IRequestHandler<VersionModel.Submit, Unit>, VersionModel.SubmitHandler>();
        services.AddScoped<IRequestHandler<VersionModel.Review, Unit>, VersionModel.ReviewHandler>();
        services.AddScoped<IRequestHandler<ImportModel.Command, Storage.RuleSetVersion>, ImportModel.Handler>();
        services.AddScoped<IRequestHandler<EditModel.Query, EditModel.Result>, EditModel.QueryHandler>();
        services.AddScoped<IRequestHandler<EditModel.Save, Storage.UpdateOutcome<Storage.RuleSetVersion>>, EditModel.SaveHandler>();
        services.AddScoped<IRequestHandler<EditModel.CheckText, EditModel.CheckResult>, EditModel.CheckHandler>();
        services.AddScoped<IRequestHandler<AddValueModel.Query, AddValueModel.Result>, AddValueModel.QueryHandler>();
        services.AddScoped<IRequestHandler<AddValueModel.Command, Storage.UpdateOutcome<Storage.RuleSetVersion>>, AddValueModel.Handler>();
        services.AddScoped<IRequestHandler<SchemaModel.Query, string>, SchemaModel.Handler>();
        return services;
    }
}
