namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// A trade of the full step, planned and persisted before it is sent: <c>adl</c> against a counterparty at
/// the bankruptcy price, or <c>full</c> through the executor (its fill price filled in once known).
/// </summary>
[GenerateSerializer]
public sealed class PlannedTrade
{
    [Id(0)] public string Kind { get; set; } = "";
    [Id(1)] public string Symbol { get; set; } = "";
    [Id(2)] public decimal Quantity { get; set; }
    [Id(3)] public decimal? Price { get; set; }
    [Id(4)] public string? Counterparty { get; set; }
    [Id(5)] public bool Done { get; set; }
    [Id(6)] public int Side { get; set; }
}
