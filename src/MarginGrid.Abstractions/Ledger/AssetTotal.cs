namespace MarginGrid.Abstractions.Ledger;

/// <summary>The sum of every ledger balance in one asset: zero when value only ever moved.</summary>
[GenerateSerializer, Immutable, Alias("mg.AssetTotal")]
public sealed record AssetTotal([property: Id(0)] string Asset, [property: Id(1)] decimal Sum);
