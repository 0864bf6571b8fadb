using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Tests.Support;

/// <summary>A plain <see cref="IMarketContext"/> for tests: markets and marks held in dictionaries.</summary>
public sealed class MarketSnapshot : IMarketContext
{
    private readonly Dictionary<string, MarketDefinition> _markets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _marks = new(StringComparer.Ordinal);

    public MarketSnapshot Add(MarketDefinition market, decimal? mark = null)
    {
        ArgumentNullException.ThrowIfNull(market);
        _markets[market.Symbol] = market;
        if (mark is { } m)
        {
            SetMark(market.Symbol, m);
        }

        return this;
    }

    public void SetMark(string symbol, decimal mark)
    {
        Require.Positive(mark, "Mark price", ErrorCodes.InvalidPrice);
        _marks[symbol] = mark;
    }

    public bool TryGetMark(string symbol, out decimal mark) => _marks.TryGetValue(symbol, out mark);

    public IEnumerable<MarketDefinition> Markets => _markets.Values;

    public MarketDefinition Market(string symbol) =>
        _markets.TryGetValue(symbol, out var market)
            ? market
            : throw new DomainException(ErrorCodes.UnknownMarket, $"There is no market {symbol}.");

    public decimal Mark(string symbol) =>
        _marks.TryGetValue(symbol, out var mark)
            ? mark
            : throw new DomainException(ErrorCodes.UnknownMarket, $"Market {symbol} has no mark price yet.");
}
