using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The working state of one running liquidation.</summary>
[GenerateSerializer]
public sealed class LiquidationWork
{
    [Id(0)] public LiquidationStage Stage { get; set; }
    [Id(1)] public PlannedTrade? Partial { get; set; }
    [Id(2)] public List<PlannedTrade> Trades { get; set; } = [];
    [Id(3)] public decimal FeeCharge { get; set; }
    [Id(4)] public string? SettlementSymbol { get; set; }
    [Id(5)] public List<LiquidationStep> Steps { get; set; } = [];
    [Id(6)] public decimal FundPayout { get; set; }
}
