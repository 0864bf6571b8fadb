namespace MarginGrid.Domain.Liquidation;

/// <summary>The quantity one counterparty is deleveraged by.</summary>
public sealed record AdlAllocation(string AccountId, decimal Quantity);
