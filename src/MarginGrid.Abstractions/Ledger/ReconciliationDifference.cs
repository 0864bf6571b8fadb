namespace MarginGrid.Abstractions.Ledger;

/// <summary>
/// One difference: the <see cref="Check"/> that found it (<c>snapshot</c>, <c>entries</c>, <c>account</c>,
/// <c>fund</c>, <c>unbalanced</c>, <c>mismatch</c>, <c>duplicate</c>, <c>asset-total</c>, <c>funding</c>), the balance or
/// transaction concerned, what the ledger says and what was found.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.ReconciliationDifference")]
public sealed record ReconciliationDifference(
    [property: Id(0)] string Check,
    [property: Id(1)] string Subject,
    [property: Id(2)] decimal Expected,
    [property: Id(3)] decimal Actual,
    [property: Id(4)] string Detail);
