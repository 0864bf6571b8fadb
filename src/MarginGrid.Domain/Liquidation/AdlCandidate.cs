namespace MarginGrid.Domain.Liquidation;

/// <summary>A holder of the opposite side that auto-deleveraging may close against, with its ranking score.</summary>
public sealed record AdlCandidate(string AccountId, decimal Quantity, decimal Score);
