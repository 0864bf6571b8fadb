using System.Collections.Concurrent;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A per-silo cache of market definitions (by version) and newest marks, so accounts and coordinators
/// read markets without all calling the market grain. The fan-out keeps marks fresh; a miss asks the
/// market grain once.
/// </summary>
public sealed class MarketDirectory(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, MarketDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MarkUpdate> _marks = new(StringComparer.Ordinal);

    /// <summary>The definition at <paramref name="version"/> or newer; asks the market grain when the cache is older.</summary>
    public async ValueTask<MarketDefinition> Definition(string symbol, long version = 0)
    {
        if (_definitions.TryGetValue(symbol, out var cached) && cached.Version >= version)
        {
            return cached;
        }

        var quote = await grains.GetGrain<IMarketGrain>(symbol).Quote()
            ?? throw new DomainException(ErrorCodes.UnknownMarket, $"There is no market {symbol}.");
        Observe(quote);
        return _definitions[symbol];
    }

    /// <summary>The newest mark this silo has seen, without asking anyone.</summary>
    public MarkUpdate? Cached(string symbol) => _marks.GetValueOrDefault(symbol);

    /// <summary>The newest mark this silo has seen, or asks the market.</summary>
    public async ValueTask<MarkUpdate?> Mark(string symbol)
    {
        if (_marks.TryGetValue(symbol, out var mark))
        {
            return mark;
        }

        var quote = await grains.GetGrain<IMarketGrain>(symbol).Quote();
        if (quote is not null)
        {
            Observe(quote);
        }

        return quote?.Mark;
    }

    public void Observe(MarketQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        if (!_definitions.TryGetValue(quote.Symbol, out var cached) || cached.Version < quote.Version)
        {
            _definitions[quote.Symbol] = MarketSpecMapper.ToDomain(quote.Symbol, quote.Spec, quote.Version);
        }

        if (quote.Mark is { } mark)
        {
            Observe(mark);
        }
    }

    public void Observe(MarkUpdate mark)
    {
        ArgumentNullException.ThrowIfNull(mark);
        _marks.AddOrUpdate(mark.Symbol, mark, (_, current) => current.Sequence >= mark.Sequence ? current : mark);
    }
}
