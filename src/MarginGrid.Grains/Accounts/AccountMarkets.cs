using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Grains.Accounts;

/// <summary>The markets an account holds, with the newest mark it was sent of each: its view of prices.</summary>
public sealed class AccountMarkets : IMarketContext
{
    private readonly Dictionary<string, MarketDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MarkUpdate> _marks = new(StringComparer.Ordinal);

    public void SetDefinition(MarketDefinition definition) => _definitions[definition.Symbol] = definition;

    public bool Has(string symbol, long version) => _definitions.TryGetValue(symbol, out var d) && d.Version >= version;

    /// <summary>
    /// Keeps <paramref name="mark"/> unless the one held is newer; returns false only for an older mark. A
    /// mark equal to the one held still counts: an account activated by a delivery may already have read
    /// that mark from the silo's cache, and must still evaluate on it.
    /// </summary>
    public bool SetMark(MarkUpdate mark)
    {
        if (_marks.TryGetValue(mark.Symbol, out var current) && current.Sequence > mark.Sequence)
        {
            return false;
        }

        _marks[mark.Symbol] = mark;
        return true;
    }

    public MarkUpdate? MarkOf(string symbol) => _marks.GetValueOrDefault(symbol);

    /// <summary>
    /// A mark older than the market's staleness limit, one not accepted since the market last activated (a
    /// restart or restore), or none at all: nobody is liquidated on it.
    /// </summary>
    public bool IsStale(string symbol, DateTimeOffset now) =>
        !_marks.TryGetValue(symbol, out var mark) || mark.Sequence == 0 || mark.Stale || now - mark.At > Market(symbol).StalePriceLimit;

    /// <summary>
    /// Refuses (<c>mark_stale</c>) a decision on money while a mark of <paramref name="symbols"/> is stale or older
    /// than <paramref name="maxAge"/> (zero: the market's limit only). A market with no mark at all is left to the
    /// rules, which refuse it as before.
    /// </summary>
    public void RequireFresh(IEnumerable<string> symbols, DateTimeOffset now, TimeSpan maxAge)
    {
        foreach (var symbol in symbols)
        {
            if (_marks.TryGetValue(symbol, out var mark) && (IsStale(symbol, now) || (maxAge > TimeSpan.Zero && now - mark.At > maxAge)))
            {
                throw new DomainException(ErrorCodes.MarkStale,
                    $"Market {symbol} has no fresh mark (last at {mark.At:O}); deposits and margin top-ups still work, retry this once the price feed is back.");
            }
        }
    }

    public MarketDefinition Market(string symbol) =>
        _definitions.TryGetValue(symbol, out var market)
            ? market
            : throw new DomainException(ErrorCodes.UnknownMarket, $"There is no market {symbol}.");

    public decimal Mark(string symbol) =>
        _marks.TryGetValue(symbol, out var mark)
            ? mark.Price
            : throw new DomainException(ErrorCodes.UnknownMarket, $"Market {symbol} has no mark price yet.");
}
