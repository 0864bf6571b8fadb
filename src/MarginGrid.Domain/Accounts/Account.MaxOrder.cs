using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>Lot counts above this are not searched: far beyond any market, and their notionals stay inside decimal range.</summary>
    private const decimal MaxOrderLots = 1_000_000_000_000_000m;

    /// <summary>
    /// The largest lot multiple that <see cref="CheckOrder"/> accepts now at <paramref name="price"/>, 0 when none.
    /// Acceptance is monotone in the quantity: the closing part needs nothing, and a larger opening part needs
    /// more margin and falls in the same or a higher bracket (whose maximum leverage is no higher). So a
    /// binary search over lot counts, with the check itself as the test, finds exactly its boundary.
    /// </summary>
    public MaxOrderResult MaxOrder(string symbol, Side side, decimal price, IMarketContext context, MarginLevelThresholds thresholds)
    {
        var market = context.Market(symbol);
        Require.That(Enum.IsDefined(side), ErrorCodes.InvalidArgument, "A side is buy or sell.");
        market.RequireValidPrice(price);
        var lot = market.LotSize;
        bool Accepts(decimal lots) => lots == 0m || CheckOrder(symbol, side, lots * lot, price, context, thresholds).Accepted;

        // Closed-form start: the lots that close the current position, plus those the balance the check weighs could fund.
        var current = _positions.GetValueOrDefault(symbol) ?? Position.Flat(symbol, market.SettleAsset, SettingsFor(market));
        var closingLots = current.Sign == -side.Sign() ? decimal.Ceiling(current.Quantity / lot) : 0m;
        var available = CheckOrder(symbol, side, lot, price, context, thresholds).AvailableBalance;
        var marginPerLot = ContractMath.Notional(market, lot, price) / current.Leverage;
        var fundedLots = decimal.Floor(Math.Min(available / marginPerLot, MaxOrderLots));

        // The start should be refused already; should rounding make it accepted, doubling finds a refused count.
        decimal low = 0m, high = Math.Min(closingLots + fundedLots + 1m, MaxOrderLots);
        while (Accepts(high))
        {
            low = high;
            if (high == MaxOrderLots)
            {
                return Result(low);
            }

            high = Math.Min(high * 2m, MaxOrderLots);
        }

        // Invariant: Accepts(low) and not Accepts(high).
        while (high - low > 1m)
        {
            var middle = low + decimal.Floor((high - low) / 2m);
            if (Accepts(middle))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Result(low);

        MaxOrderResult Result(decimal lots) => lots == 0m
            ? new MaxOrderResult(0m, 0m)
            : new MaxOrderResult(lots * lot, CheckOrder(symbol, side, lots * lot, price, context, thresholds).RequiredInitialMargin);
    }
}
