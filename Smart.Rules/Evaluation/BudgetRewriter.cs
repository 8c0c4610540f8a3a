using System.Linq.Expressions;
using System.Reflection;

namespace Smart.Rules.Evaluation;

/// <summary>
/// Puts <see cref="RuleBudget"/> where a checked expression can loop or grow: at the start of every lambda (the only way a rule
/// loops), around every sequence an Enumerable method returns, on the length asked of PadLeft, PadRight and new string, on the
/// size of a new array, and on every text built. Plain arithmetic is left as it is.
/// </summary>
internal sealed class BudgetRewriter : ExpressionVisitor
{
    private static readonly MethodInfo Step = typeof(RuleBudget).GetMethod(nameof(RuleBudget.Step))!;
    private static readonly MethodInfo Counted = typeof(RuleBudget).GetMethod(nameof(RuleBudget.Counted))!;
    private static readonly MethodInfo Size = typeof(RuleBudget).GetMethod(nameof(RuleBudget.Size))!;
    private static readonly MethodInfo Text = typeof(RuleBudget).GetMethod(nameof(RuleBudget.Text))!;

    public static Expression Apply(Expression expression) => new BudgetRewriter().Visit(expression)!;

    protected override Expression VisitLambda<T>(Expression<T> node)
    {
        var body = Visit(node.Body)!;
        return node.Update(Expression.Block(body.Type, Expression.Call(Step), body), node.Parameters);
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        var method = node.Method;
        var arguments = node.Arguments.Select(a => Visit(a)!).ToArray();
        if (method.DeclaringType == typeof(string) && method.Name is nameof(string.PadLeft) or nameof(string.PadRight))
            arguments[0] = Expression.Call(Size, arguments[0]);
        Expression call = node.Update(Visit(node.Object), arguments);
        if (method.DeclaringType == typeof(Enumerable) && method.ReturnType.IsGenericType
            && method.ReturnType.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            return Expression.Call(Counted.MakeGenericMethod(method.ReturnType.GetGenericArguments()), call);
        return node.Type == typeof(string) ? Expression.Call(Text, call) : call;
    }

    protected override Expression VisitBinary(BinaryExpression node)
    {
        var visited = base.VisitBinary(node);
        // String concatenation ('+' on text) is a binary node calling String.Concat.
        return visited.Type == typeof(string) && visited.NodeType == ExpressionType.Add ? Expression.Call(Text, visited) : visited;
    }

    protected override Expression VisitNew(NewExpression node)
    {
        var arguments = node.Arguments.Select(a => Visit(a)!).ToArray();
        if (node.Type == typeof(string))
            for (var i = 0; i < arguments.Length; i++)
                if (arguments[i].Type == typeof(int)) arguments[i] = Expression.Call(Size, arguments[i]);
        return node.Update(arguments);
    }

    protected override Expression VisitNewArray(NewArrayExpression node)
    {
        if (node.NodeType != ExpressionType.NewArrayBounds) return base.VisitNewArray(node);
        return Expression.NewArrayBounds(node.Type.GetElementType()!, node.Expressions.Select(e =>
        {
            var size = Visit(e)!;
            return size.Type == typeof(int) ? Expression.Call(Size, size) : size;
        }));
    }
}
