using System.Linq.Expressions;
using FastExpressionCompiler;
using RulesEngine.ExpressionBuilders;

namespace Smart.Rules.Evaluation;

/// <summary>
/// Parses rule expressions with RulesEngine's own parser (the same Dynamic LINQ dialect as a stock workflow), checks them
/// with <see cref="ExpressionGuard"/>, and compiles each to a delegate over one argument array laid out as
/// [facts | parameters | global params | the rule's local params], so evaluation is array reads, no dictionaries.
/// </summary>
internal sealed class RuleCompiler
{
    private readonly RuleExpressionParser parser;
    private readonly Type[] helperTypes;
    private readonly List<ParameterExpression> scope = [];
    private readonly ParameterExpression args = Expression.Parameter(typeof(object[]), "args");

    public RuleCompiler(IReadOnlyList<Type> helperTypes)
    {
        this.helperTypes = [.. helperTypes];
        parser = new RuleExpressionParser(StockEngineInputs.Settings(helperTypes));
        foreach (var (name, type) in FactSlots.All) scope.Add(Expression.Parameter(type, name));
    }

    public int ScopeSize => scope.Count;
    public IReadOnlyList<ParameterExpression> Scope => scope;

    /// <summary>Adds a named value to the scope (a parameter, global or local param) and returns its slot.</summary>
    public int Declare(string name, Type type)
    {
        scope.Add(Expression.Parameter(type, name));
        return scope.Count - 1;
    }

    /// <summary>Forgets the scope entries after <paramref name="size"/> (the previous rule's local params).</summary>
    public void Truncate(int size) => scope.RemoveRange(size, scope.Count - size);

    public CompiledExpression Compile(string text, Type? resultType)
    {
        CheckSize(text);
        Expression body;
        try
        {
            body = parser.Parse(text, [.. scope], resultType);
        }
        catch (Exception e)
        {
            throw new RuleCompileException(Describe(e));
        }
        if (resultType is not null && body.Type != resultType)
        {
            if (!IsNumeric(body.Type) || !IsNumeric(resultType))
                throw new RuleCompileException($"expression gives {body.Type.Name}, {resultType.Name} expected");
            body = Expression.Convert(body, resultType);
        }
        var (problems, used) = ExpressionGuard.Check(body, helperTypes);
        if (problems.Count > 0) throw new RuleCompileException(string.Join("; ", problems.Distinct()));

        var slots = used.Select(p => scope.IndexOf(p)).Where(i => i >= 0).Order().ToArray();
        var rewritten = new SlotRewriter(scope, args).Visit(BudgetRewriter.Apply(body))!;
        var run = Expression.Lambda<Func<object[], object?>>(Expression.Convert(rewritten, typeof(object)), args).CompileFast();
        run = WithoutReboxing(rewritten, run);
        // Conditions get an unboxed delegate too: they run for every rule on every line.
        var test = body.Type == typeof(bool) ? Expression.Lambda<Func<object[], bool>>(rewritten, args).CompileFast() : null;
        return new CompiledExpression(text, run, test, body.Type, slots);
    }

    /// <summary>
    /// An expression that is only a constant or only a named value (a rate parameter, <c>0m</c>, a local copying a parameter:
    /// most outputs and many locals) gives the object it already has, instead of unboxing and boxing it again on every line.
    /// A null (a parameter without a value yet) still goes through the compiled delegate, so it fails as before.
    /// </summary>
    private Func<object[], object?> WithoutReboxing(Expression body, Func<object[], object?> compiled)
    {
        if (body is ConstantExpression { Value: { } constant }) return _ => constant;
        if (body is UnaryExpression { NodeType: ExpressionType.Convert, Operand: BinaryExpression { NodeType: ExpressionType.ArrayIndex } read } convert
            && read.Left == args && read.Right is ConstantExpression { Value: int slot })
            return (Func<object[], object?>)ReadSlotMethod.MakeGenericMethod(convert.Type).Invoke(null, [slot, compiled])!;
        return compiled;
    }

    private static readonly System.Reflection.MethodInfo ReadSlotMethod =
        typeof(RuleCompiler).GetMethod(nameof(ReadSlot), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static Func<object[], object?> ReadSlot<T>(int slot, Func<object[], object?> compiled) => args => args[slot] is T ? args[slot] : compiled(args);

    /// <summary>Length and bracket depth, refused before the parser (which recurses per bracket) ever sees the text.</summary>
    private static void CheckSize(string text)
    {
        if (text.Length > RuleLimits.ExpressionCharacters)
            throw new RuleCompileException($"the expression has {text.Length} characters, more than {RuleLimits.ExpressionCharacters}: split it into local params");
        var (depth, deepest, quote) = (0, 0, '\0');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (c is '(' or '[' or '{') deepest = Math.Max(deepest, ++depth);
            else if (c is ')' or ']' or '}') depth--;
        }
        if (deepest > RuleLimits.BracketDepth)
            throw new RuleCompileException($"brackets are nested {deepest} deep, more than {RuleLimits.BracketDepth}: split the expression into local params");
    }

    private static bool IsNumeric(Type t) => t == typeof(decimal) || t == typeof(int) || t == typeof(double) || t == typeof(long);

    private static string Describe(Exception e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        // Dynamic LINQ says "Unknown identifier 'X'": in a rule file that is nearly always a misspelt parameter.
        return message.StartsWith("Unknown identifier", StringComparison.Ordinal)
            ? message.Replace("Unknown identifier", "Unknown parameter or input", StringComparison.Ordinal)
            : message;
    }

    /// <summary>Replaces each named parameter with a typed read of its slot in the argument array.</summary>
    private sealed class SlotRewriter(List<ParameterExpression> scope, ParameterExpression args) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            var slot = scope.IndexOf(node);
            return slot < 0 ? node : Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(slot)), node.Type);
        }
    }
}

internal sealed record CompiledExpression(string Text, Func<object[], object?> Run, Func<object[], bool>? Test, Type ResultType, int[] Slots);

internal sealed class RuleCompileException(string message) : Exception(message);
