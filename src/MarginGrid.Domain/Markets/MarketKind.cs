namespace MarginGrid.Domain.Markets;

/// <summary>How a perpetual contract settles.</summary>
public enum MarketKind
{
    /// <summary>PnL and margin in the quote asset (USDT); notional grows with price.</summary>
    Linear,

    /// <summary>PnL and margin in the base coin; each contract is worth a fixed quote value.</summary>
    Inverse,
}
