namespace MarginGrid.Domain.Margin;

/// <summary>The cross wallet balance of one settlement asset.</summary>
public readonly record struct WalletBalance(string Asset, decimal Balance);
