using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Margin;

/// <summary>A position with its market and the mark it is evaluated at: the unit of the margin hot path.</summary>
public readonly record struct MarkedPosition(MarketDefinition Market, Position Position, decimal Mark);
