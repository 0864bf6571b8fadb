namespace MarginGrid.Abstractions.Liquidations;

/// <summary>What the waterfall did to a closed scope.</summary>
[GenerateSerializer, Immutable, Alias("mg.SettlementView")]
public sealed record SettlementView(
    [property: Id(0)] decimal Fee,
    [property: Id(1)] decimal Deficit,
    [property: Id(2)] decimal TraderKeeps);
