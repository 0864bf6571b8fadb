using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// The live markets with some marks replaced, for valuing a what-if: a given mark, or the current mark
/// moved by a shock <c>s</c> to <c>mark · (1 + s)</c> rounded to the nearest tick. Definitions and every other
/// mark come from the live context, which is never changed.
/// </summary>
public sealed class MarkOverlay : IMarketContext
{
    private readonly IMarketContext _live;
    private readonly Dictionary<string, decimal> _standIns;
    private readonly Dictionary<string, decimal> _marks = new(StringComparer.Ordinal);

    /// <param name="live">The markets and marks as they are.</param>
    /// <param name="standIns">
    /// Marks for markets that have none yet (a market a hypothetical fill opens is valued at its fill price
    /// until its first mark, as a real fill would be); shocks move these too.
    /// </param>
    public MarkOverlay(IMarketContext live, IReadOnlyDictionary<string, decimal>? standIns = null)
    {
        ArgumentNullException.ThrowIfNull(live);
        _live = live;
        _standIns = new Dictionary<string, decimal>(standIns ?? new Dictionary<string, decimal>(), StringComparer.Ordinal);
    }

    /// <summary>Values <paramref name="symbol"/> at <paramref name="mark"/>, which must be a valid price of its market.</summary>
    public MarkOverlay Override(string symbol, decimal mark)
    {
        var market = _live.Market(symbol);
        Require.That(!_marks.ContainsKey(symbol), ErrorCodes.MarkAndShock, $"{symbol} is given a mark or a shock twice.");
        market.RequireValidPrice(mark, "Mark price");
        _marks[symbol] = mark;
        return this;
    }

    /// <summary>Moves the current mark of <paramref name="symbol"/> by the fraction <paramref name="shock"/> (−0.1 is 10% down).</summary>
    public MarkOverlay Shock(string symbol, decimal shock)
    {
        var market = _live.Market(symbol);
        Require.That(!_marks.ContainsKey(symbol), ErrorCodes.MarkAndShock, $"{symbol} is given a mark or a shock twice.");
        Require.That(shock > -1m, ErrorCodes.InvalidShock, $"A shock must be above -1 (was {shock} for {symbol}).");
        decimal shocked;
        try
        {
            shocked = RoundToTick(market, CurrentMark(symbol) * (1m + shock));
        }
        catch (OverflowException)
        {
            throw new DomainException(ErrorCodes.InvalidShock, $"A shock of {shock} takes the mark of {symbol} out of range.");
        }

        Require.That(shocked > 0m, ErrorCodes.InvalidShock, $"A shock of {shock} takes the mark of {symbol} below one tick.");
        _marks[symbol] = shocked;
        return this;
    }

    /// <summary>Whether the mark of <paramref name="symbol"/> was replaced by a given mark or a shock.</summary>
    public bool IsOverridden(string symbol) => _marks.ContainsKey(symbol);

    public MarketDefinition Market(string symbol) => _live.Market(symbol);

    public decimal Mark(string symbol) => _marks.TryGetValue(symbol, out var mark) ? mark : CurrentMark(symbol);

    private decimal CurrentMark(string symbol) => _standIns.TryGetValue(symbol, out var standIn) ? standIn : _live.Mark(symbol);

    private static decimal RoundToTick(MarketDefinition market, decimal price) =>
        decimal.Round(price / market.TickSize, MidpointRounding.AwayFromZero) * market.TickSize;
}
