using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Silo.Endpoints;

/// <summary>A page of <c>GET /v1/liquidations</c>; <see cref="NextCursor"/> continues it, null at the end.</summary>
public sealed record LiquidationList(IReadOnlyList<LiquidationRecord> Items, string? NextCursor);
