using Smart.Web.Storage.Audit;

namespace Smart.Web.Storage;

/// <summary>A new evaluation for a stored document, written only if the document is still at <see cref="ExpectedVersion"/>.</summary>
public sealed record EvaluationReplacement<TEvaluation>(int Id, int ExpectedVersion, TEvaluation Evaluation, IReadOnlyList<AuditChange> Changes);
