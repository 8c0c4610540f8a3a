using System.ComponentModel.DataAnnotations;
using System.Reflection;
using MediatR;
using Microsoft.Extensions.Localization;
using Smart.Web.Localization;
using Smart.Web.Storage;

namespace Smart.Web.Behaviours;

/// <summary>
/// Checks every request's DataAnnotations (on properties or on a record's positional parameters), then its
/// <see cref="IValidatableObject"/>, in the current UI culture, and throws <see cref="RequestValidationException"/>
/// before the handler runs. Jobs and the API get the same checks as the pages. A duplicate number the store refuses after
/// the handler's own check (a race lost to another save) comes back the same way, on its field.
/// </summary>
public sealed class ValidationBehaviour<TRequest, TResponse>(IStringLocalizerFactory localizers, IServiceProvider services)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly IReadOnlyList<FieldRule> Fields = FieldRule.Of(typeof(TRequest));

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is null) return next();
        // A number of this request's form could not be read: its field already shows why; the handler must not run on the gap.
        var unreadable = RefusedRequests.Contains(services.GetService<IHttpContextAccessor>()?.HttpContext, request);
        if (!unreadable && Fields.Count == 0 && request is not IValidatableObject) return DuplicatesOnTheirField(next);

        var texts = PageResources.For(typeof(TRequest), localizers);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            var context = new ValidationContext(request, services, null) { MemberName = field.Property.Name, DisplayName = field.DisplayName is { } display ? texts[display] : field.Property.Name };
            var value = field.Property.GetValue(request);
            foreach (var attribute in field.Attributes())
            {
                Translate(attribute, texts);
                if (attribute.GetValidationResult(value, context) is { ErrorMessage: { } message })
                    Add(errors, field.Property.Name, message);
            }
        }
        // As MVC does: the whole-object rules run once every field is right on its own.
        if (errors.Count == 0 && request is IValidatableObject validatable)
            foreach (var result in validatable.Validate(new ValidationContext(request, services, null)))
                foreach (var member in result.MemberNames.DefaultIfEmpty(""))
                    Add(errors, member, result.ErrorMessage ?? "");

        if (errors.Count > 0 || unreadable)
            throw new RequestValidationException(typeof(TRequest), errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        return DuplicatesOnTheirField(next);
    }

    private async Task<TResponse> DuplicatesOnTheirField(RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            return await next();
        }
        catch (DuplicateNumberException duplicate) when (typeof(TRequest).GetProperty(duplicate.Field) is not null)
        {
            var texts = PageResources.For(typeof(TRequest), localizers);
            throw RequestValidationException.For<TRequest>(duplicate.Field, texts["Another record of this country already has this number."]);
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages)) errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>An attribute's message is a key in the page's texts (its own, or its type's name from <see cref="ValidationMessageKeys"/>), as MVC reads it.</summary>
    private static void Translate(ValidationAttribute attribute, IStringLocalizer texts)
    {
        ValidationMessageKeys.GiveKey(attribute);
        if (attribute.ErrorMessageResourceType is null && attribute.ErrorMessage is { } key) attribute.ErrorMessage = texts[key];
    }

    private sealed record FieldRule(PropertyInfo Property, string? DisplayName, ParameterInfo? Parameter)
    {
        /// <summary>Fresh attribute instances each time: their message is set to the current culture's text.</summary>
        public IEnumerable<ValidationAttribute> Attributes() =>
            Property.GetCustomAttributes<ValidationAttribute>(inherit: true)
                .Concat(Parameter?.GetCustomAttributes<ValidationAttribute>(inherit: true) ?? []);

        public static IReadOnlyList<FieldRule> Of(Type type)
        {
            var parameters = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()?.GetParameters() ?? [];
            return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
                .Select(p =>
                {
                    var parameter = parameters.FirstOrDefault(a => a.Name == p.Name && a.ParameterType == p.PropertyType);
                    var display = p.GetCustomAttribute<DisplayAttribute>()?.Name ?? parameter?.GetCustomAttribute<DisplayAttribute>()?.Name;
                    return new FieldRule(p, display, parameter);
                })
                .Where(f => f.Attributes().Any())
                .ToList();
        }
    }
}
