using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>How a liquidation ended: its status, and what the waterfall did when it closed the scope.</summary>
public sealed record LiquidationEnd(string Status, SettlementView? Settlement);
