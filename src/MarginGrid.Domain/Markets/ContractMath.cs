namespace MarginGrid.Domain.Markets;

/// <summary>
/// The linear and inverse formulas of margin-rules.md sections 3 and 4, at full decimal precision.
/// Sizes are signed (<c>S = s·q</c>); quantities are absolute.
/// </summary>
public static class ContractMath
{
    /// <summary>Notional at <paramref name="price"/> in the settlement asset: linear <c>q·cs·P</c>, inverse <c>q·cs/P</c>.</summary>
    public static decimal Notional(MarketDefinition market, decimal quantity, decimal price)
    {
        // Most linear contracts have a contract size of 1: skipping that multiply is a tenth of the hot path.
        var units = market.HasUnitContractSize ? quantity : quantity * market.ContractSize;
        return market.Kind == MarketKind.Linear ? units * price : units / price;
    }

    /// <summary>
    /// PnL of a signed size from <paramref name="entryPrice"/> to <paramref name="price"/>:
    /// linear <c>S·cs·(P − EP)</c>, inverse <c>S·cs·(1/EP − 1/P)</c>, computed as
    /// <c>S·cs·(P − EP)/(EP·P)</c> so that one correctly rounded division keeps an exact result exact
    /// (two reciprocals would each be cut at 28 digits and lose the last satoshi when rounded).
    /// </summary>
    public static decimal Pnl(MarketDefinition market, decimal signedSize, decimal entryPrice, decimal price)
    {
        var units = market.HasUnitContractSize ? signedSize : signedSize * market.ContractSize;
        return market.Kind == MarketKind.Linear
            ? units * (price - entryPrice)
            : units * (price - entryPrice) / (entryPrice * price);
    }

    /// <summary>
    /// The entry price after adding <paramref name="addedQuantity"/> at <paramref name="price"/> to
    /// <paramref name="quantity"/> at <paramref name="entryPrice"/>: linear weights prices, inverse weights
    /// their reciprocals.
    /// </summary>
    public static decimal AverageEntry(MarketDefinition market, decimal quantity, decimal entryPrice, decimal addedQuantity, decimal price)
    {
        if (quantity == 0m)
        {
            return price;
        }

        var total = quantity + addedQuantity;
        if (market.Kind == MarketKind.Linear)
        {
            return ((quantity * entryPrice) + (addedQuantity * price)) / total;
        }

        try
        {
            return total * entryPrice * price / ((quantity * price) + (addedQuantity * entryPrice));
        }
        catch (OverflowException)
        {
            // Near the bounds total·EP·P passes decimal's range; the same harmonic mean from reciprocals cannot.
            return total / ((quantity / entryPrice) + (addedQuantity / price));
        }
    }
}
