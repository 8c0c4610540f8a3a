using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Smart.Rules.Evaluation;

/// <summary>
/// Walks a parsed rule expression and refuses anything outside an allow-list of types, so a rule file can compute
/// with numbers, text and the documented inputs but never reach the file system, processes, the network or reflection.
/// Checking the parsed tree (not the text) means no spelling, cast or string trick gets round it.
/// </summary>
internal sealed class ExpressionGuard : ExpressionVisitor
{
    private static readonly HashSet<Type> SafeTypes =
    [
        typeof(bool), typeof(byte), typeof(short), typeof(int), typeof(long), typeof(float), typeof(double), typeof(decimal),
        typeof(char), typeof(string), typeof(Math), typeof(decimal[]), typeof(string[]), typeof(int[]), typeof(Enumerable),
        typeof(DocumentFacts), typeof(LineFacts), typeof(ClientFacts), typeof(IssuerFacts), typeof(MemberFacts), typeof(ContractFacts), typeof(ExpenseFacts),
        typeof(StringComparison), typeof(MidpointRounding),
    ];

    private static readonly HashSet<string> SafeObjectMethods = ["Equals", "ToString", "CompareTo"];

    private readonly HashSet<Type> allowed;
    private readonly List<string> problems = [];
    private int depth;
    private bool tooDeep;
    public HashSet<ParameterExpression> UsedParameters { get; } = [];

    private ExpressionGuard(IEnumerable<Type> helperTypes) => allowed = [.. SafeTypes, .. helperTypes];

    /// <summary>Returns the problems found (empty when the expression is safe) and the parameters it reads.</summary>
    public static (IReadOnlyList<string> Problems, IReadOnlySet<ParameterExpression> Used) Check(Expression expression, IEnumerable<Type> helperTypes)
    {
        var guard = new ExpressionGuard(helperTypes);
        guard.Visit(expression);
        return (guard.problems, guard.UsedParameters);
    }

    private bool IsAllowed(Type type)
    {
        if (allowed.Contains(type)) return true;
        if (Nullable.GetUnderlyingType(type) is { } inner) return IsAllowed(inner);
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(IEnumerable<>) || definition == typeof(Func<,>) || definition == typeof(Func<,,>))
                return type.GetGenericArguments().All(IsAllowed);
        }
        return false;
    }

    private void Refuse(string what) => problems.Add($"not allowed in a rule expression: {what}");

    public override Expression? Visit(Expression? node)
    {
        if (node is null || tooDeep) return node;
        // The compiler recurses once per level of the tree: a deeper one is refused here, before it can overflow the stack.
        if (depth >= RuleLimits.TreeDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            tooDeep = true;
            problems.Add($"the expression is nested more than {RuleLimits.TreeDepth} levels deep: split it into local params");
            return node;
        }
        if (node.NodeType != ExpressionType.Lambda && !IsAllowed(node.Type) && node.Type != typeof(object))
            Refuse($"a value of type {node.Type.FullName}");
        depth++;
        try { return base.Visit(node); }
        finally { depth--; }
    }

    protected override Expression VisitParameter(ParameterExpression node)
    {
        UsedParameters.Add(node);
        return base.VisitParameter(node);
    }

    protected override Expression VisitMember(MemberExpression node)
    {
        if (node.Member.DeclaringType is not { } type || !IsAllowed(type))
            Refuse($"member {node.Member.DeclaringType?.FullName}.{node.Member.Name}");
        return base.VisitMember(node);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var method = node.Method;
        var declaring = method.DeclaringType;
        var ok = declaring is not null && (IsAllowed(declaring) || (declaring == typeof(object) && SafeObjectMethods.Contains(method.Name)));
        if (!ok || method.Name == nameof(GetType)) Refuse($"method {declaring?.FullName}.{method.Name}");
        var parameters = method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
            if (parameters[i].Name == "format" && parameters[i].ParameterType == typeof(string)) CheckFormat(node.Arguments[i]);
        return base.VisitMethodCall(node);
    }

    protected override Expression VisitNew(NewExpression node)
    {
        if (!IsAllowed(node.Type)) Refuse($"creating {node.Type.FullName}");
        return base.VisitNew(node);
    }

    protected override Expression VisitConstant(ConstantExpression node)
    {
        if (node.Value is Type or MemberInfo or Delegate) Refuse($"constant {node.Value}");
        return base.VisitConstant(node);
    }

    /// <summary>
    /// A format can ask for any width ("D999999999", "{0,999999999}"), allocated before any budget could look at it:
    /// it must be written out in the rule, with no number above two digits.
    /// </summary>
    private void CheckFormat(Expression format)
    {
        if (format is not ConstantExpression { Value: string text })
            Refuse("a format that is not written out in the rule");
        else if (System.Text.RegularExpressions.Regex.IsMatch(text, "[0-9]{3}"))
            Refuse($"the format \"{text}\" (a width or precision above 99)");
    }

    protected override Expression VisitInvocation(InvocationExpression node)
    {
        Refuse("invoking a delegate");
        return base.VisitInvocation(node);
    }
}
