namespace MarginGrid.Grains.Liquidations;

/// <summary>Where a running liquidation is; each stage is persisted before its effects are sent.</summary>
public enum LiquidationStage
{
    Start,
    Partial,
    Full,
    Waterfall,
}
