using System.Collections.Concurrent;
using MarginGrid.Domain.Common;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// The default executor: fills at the current mark moved against the liquidated trader by the configured
/// slippage, rounded to the tick in the venue's favour. Remembers its fills by order id.
/// </summary>
public sealed class MarkPriceExecutor(MarketDirectory directory, IOptions<GridOptions> options) : ILiquidationExecutor
{
    private readonly ConcurrentDictionary<string, decimal> _fills = new(StringComparer.Ordinal);

    public async Task<decimal> Quote(string symbol, Side side, decimal quantity)
    {
        var market = await directory.Definition(symbol);
        var mark = (await directory.Mark(symbol))?.Price
            ?? throw new DomainException(ErrorCodes.InvalidPrice, $"Market {symbol} has no mark to liquidate at.");
        var slip = mark * options.Value.ExecutorSlippageBps / 10_000m;
        var price = side == Side.Sell ? market.RoundPriceDown(mark - slip) : market.RoundPriceUp(mark + slip);
        return Math.Max(market.TickSize, price);
    }

    public async Task<decimal> Execute(LiquidationOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (_fills.TryGetValue(order.OrderId, out var earlier))
        {
            return earlier;
        }

        var price = await Quote(order.Symbol, order.Side, order.Quantity);
        return _fills.GetOrAdd(order.OrderId, price);
    }
}
