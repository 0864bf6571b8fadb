namespace MarginGrid.Domain.Ledger;

/// <summary>Where value sits. Every transaction moves value between these, so the whole ledger sums to zero.</summary>
public enum LedgerAccountKind
{
    /// <summary>A trader's cross wallet of one asset.</summary>
    Wallet,

    /// <summary>The isolated margin of one trader's position.</summary>
    IsolatedMargin,

    /// <summary>The insurance fund of one settlement asset.</summary>
    InsuranceFund,

    /// <summary>Trading fees the venue earned.</summary>
    FeeIncome,

    /// <summary>Rounding residues of one market (funding), never lost.</summary>
    Residue,

    /// <summary>Outside the grid: the counterpart of deposits and withdrawals.</summary>
    External,

    /// <summary>A market's clearing account: the counterpart of realized PnL (the other side of each trade).</summary>
    Clearing,

    /// <summary>A market's unresolved deficits (last resort of a liquidation).</summary>
    Deficit,
}
