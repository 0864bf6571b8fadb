namespace MarginGrid.Abstractions.Markets;

/// <summary>One risk bracket as an operator defines it; the maintenance amount is derived.</summary>
[GenerateSerializer, Immutable, Alias("mg.BracketSpec")]
public sealed record BracketSpec(
    [property: Id(0)] decimal NotionalFloor,
    [property: Id(1)] int MaxLeverage,
    [property: Id(2)] decimal MaintenanceMarginRate);
