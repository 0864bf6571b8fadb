using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Liquidation;

/// <summary>A position of a scope being closed by the full step, at the price the executor expects to fill.</summary>
public readonly record struct ClosingPosition(MarketDefinition Market, Position Position, decimal ClosePrice);
