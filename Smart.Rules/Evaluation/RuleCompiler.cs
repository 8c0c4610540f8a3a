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
        var budgeted = BudgetRewriter.Apply(body);
        var rewritten = new SlotRewriter(scope, args).Visit(budgeted)!;
        var run = Expression.Lambda<Func<object[], object?>>(Expression.Convert(rewritten, typeof(object)), args).CompileFast();
        run = WithoutReboxing(rewritten, run);
        // Conditions get an unboxed delegate too: they run for every rule on every line.
        var testLambda = body.Type == typeof(bool) ? Expression.Lambda<Func<object[], bool>>(rewritten, args) : null;
        return new CompiledExpression(text, run, testLambda?.CompileFast(), body.Type, slots)
        {
            Parsed = budgeted,
            // Kept for the rule set's one test of all its conditions, only where the budget left the condition as it was (it cannot loop).
            TestBody = testLambda is not null && ReferenceEquals(budgeted, body) ? testLambda : null,
        };
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

    /// <summary>
    /// A rule's local params and output as one delegate, the locals typed variables in order (no box between two of them), each
    /// stored in its slot only where <paramref name="store"/> says someone reads it there (the trace, the evaluator's named
    /// results); gives the output (null without one). Called right after the rule's expressions, while its locals are in scope.
    /// </summary>
    public Func<object[], object?> CompileRule(IReadOnlyList<CompiledLocal> locals, CompiledExpression? output, Func<int, bool> store)
    {
        var variables = new Dictionary<ParameterExpression, ParameterExpression>();
        var rewriter = new SlotRewriter(scope, args, variables);
        var body = new List<Expression>();
        foreach (var local in locals)
        {
            var declared = scope[local.Slot];
            var variable = Expression.Variable(declared.Type, declared.Name);
            body.Add(Expression.Assign(variable, rewriter.Visit(local.Expression.Parsed)!));
            variables[declared] = variable;
            if (store(local.Slot))
                body.Add(Expression.Assign(Expression.ArrayAccess(args, Expression.Constant(local.Slot)),
                    Existing(local.Expression.Parsed, variables) ?? Expression.Convert(variable, typeof(object))));
        }
        body.Add(output is null ? Expression.Constant(null, typeof(object))
            : Existing(output.Parsed, variables) ?? Expression.Convert(rewriter.Visit(output.Parsed)!, typeof(object)));
        return Expression.Lambda<Func<object[], object?>>(Expression.Block(typeof(object), variables.Values, body), args).CompileFast();
    }

    /// <summary>
    /// For a value that is only a constant or only a named value in a slot (a rate parameter, <c>0m</c>): the object it already is,
    /// not a new box (as <see cref="WithoutReboxing"/>); a null in the slot still fails the unboxing, as before. Null otherwise.
    /// </summary>
    private Expression? Existing(Expression parsed, Dictionary<ParameterExpression, ParameterExpression> variables)
    {
        if (parsed is ConstantExpression { Value: { } constant }) return Expression.Constant(constant, typeof(object));
        if (parsed is not ParameterExpression named || variables.ContainsKey(named) || scope.IndexOf(named) is not (var slot and >= 0)) return null;
        var read = Expression.ArrayIndex(args, Expression.Constant(slot));
        return Expression.Condition(Expression.TypeIs(read, named.Type), read, Expression.Convert(Expression.Convert(read, named.Type), typeof(object)));
    }

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
    private sealed class SlotRewriter(List<ParameterExpression> scope, ParameterExpression args,
        Dictionary<ParameterExpression, ParameterExpression>? variables = null) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (variables is not null && variables.TryGetValue(node, out var variable)) return variable;
            var slot = scope.IndexOf(node);
            return slot < 0 ? node : Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(slot)), node.Type);
        }
    }
}

internal sealed record CompiledExpression(string Text, Func<object[], object?> Run, Func<object[], bool>? Test, Type ResultType, int[] Slots)
{
    /// <summary>
    /// A condition's test as an expression over the argument array, where it has no budget step (plain comparisons and
    /// arithmetic: it cannot loop or grow); null otherwise. <see cref="RuleSelector"/> joins these into one delegate.
    /// </summary>
    public Expression<Func<object[], bool>>? TestBody { get; init; }

    /// <summary>The checked expression before its named values became slot reads, for <see cref="RuleCompiler.CompileRule"/>.</summary>
    public required Expression Parsed { get; init; }
}

/// <summary>
/// One compiled test of a rule set's conditions in order, giving the index of the first that holds (-1: none): one delegate
/// call a line instead of one per rule tried. Built only where it gives the same answer as the loop over the rules: every
/// rule in force on every date of the set, no condition reading a local param, no condition with a budget step.
/// </summary>
internal static class RuleSelector
{
    /// <summary>Past this many rules the loop is kept (the joined test nests one conditional per rule).</summary>
    private const int MaxRules = 64;

    public static Func<object[], int>? For(IReadOnlyList<CompiledRule> rules)
    {
        if (rules.Count < 2 || rules.Count > MaxRules) return null;
        ParameterExpression? args = null;
        foreach (var rule in rules)
        {
            if (rule.Dated || rule.ConditionReadsLocals || rule.Condition.TestBody is not { } test) return null;
            args ??= test.Parameters[0];
            if (test.Parameters[0] != args) return null;
        }
        Expression body = Expression.Constant(-1);
        for (var i = rules.Count - 1; i >= 0; i--)
            body = Expression.Condition(rules[i].Condition.TestBody!.Body, Expression.Constant(i), body);
        return Expression.Lambda<Func<object[], int>>(body, args!).CompileFast();
    }
}

internal sealed class RuleCompileException(string message) : Exception(message);
