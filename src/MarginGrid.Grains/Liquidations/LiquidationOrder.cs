using MarginGrid.Domain.Common;

namespace MarginGrid.Grains.Liquidations;

/// <summary>An order the coordinator sends to close liquidated quantity; <see cref="OrderId"/> makes a resend harmless.</summary>
public sealed record LiquidationOrder(string OrderId, string Symbol, Side Side, decimal Quantity);
