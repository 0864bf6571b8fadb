namespace MarginGrid.Domain.Ledger;

/// <summary>What a ledger entry is for.</summary>
public enum EntryKind
{
    Deposit,
    Withdrawal,
    TradingFee,
    RealizedPnl,
    Funding,
    MarginTransfer,
    LiquidationFee,
    InsurancePayout,
    AdlPnl,
    FundDeposit,
    Deficit,
}
