namespace MarginGrid.Domain.Liquidation;

/// <summary>
/// How a closed scope's remaining margin <c>r</c> is settled: the fee to the insurance fund, what the fund
/// pays in, the deficit nobody could cover, and what the trader keeps (never below zero).
/// </summary>
public readonly record struct WaterfallOutcome(decimal Fee, decimal FundPayout, decimal Deficit, decimal TraderKeeps)
{
    /// <summary>The insurance fund's net change: + fee, − payout.</summary>
    public decimal FundDelta => Fee - FundPayout;
}
