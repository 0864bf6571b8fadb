namespace MarginGrid.Grains.Persistence;

/// <summary>The counters an <see cref="IIdBlockSource"/> keeps; the name is what the ledger database stores.</summary>
public enum IdCounter
{
    Liquidation,
}
