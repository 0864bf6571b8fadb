namespace MarginGrid.Abstractions.Markets;

/// <summary>A risk bracket with its derived maintenance amount (<c>cum</c>).</summary>
[GenerateSerializer, Immutable, Alias("mg.BracketView")]
public sealed record BracketView(
    [property: Id(0)] decimal NotionalFloor,
    [property: Id(1)] int MaxLeverage,
    [property: Id(2)] decimal MaintenanceMarginRate,
    [property: Id(3)] decimal Cum);
