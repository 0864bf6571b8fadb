using MarginGrid.Domain.Common;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// Closes liquidated quantity. The default fills at the mark (with optional slippage); another
/// implementation can hand orders to a matching engine and return its fills. An order id seen before
/// must return the same fill.
/// </summary>
public interface ILiquidationExecutor
{
    /// <summary>The price the executor expects to fill at, used to size auto-deleveraging before sending.</summary>
    Task<decimal> Quote(string symbol, Side side, decimal quantity);

    /// <summary>Fills the order, returning the fill price.</summary>
    Task<decimal> Execute(LiquidationOrder order);
}
