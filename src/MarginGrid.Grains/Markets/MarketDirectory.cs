using System.Collections.Concurrent;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A per-silo cache of market definitions (by version) and newest marks, so accounts and coordinators
/// read markets without all calling the market grain. The fan-out keeps marks fresh on a silo that hosts
/// shards of the market; on one that hosts none the cache would lag, so a mark not confirmed lately is
/// asked of the market grain again, and decisions that move money always ask it.
/// </summary>
public sealed class MarketDirectory(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>How long a cached mark counts as the market's newest without asking (marks tick about once a second).</summary>
    public static readonly TimeSpan ConfirmedFor = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, MarketDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (MarkUpdate Mark, long ConfirmedAt)> _marks = new(StringComparer.Ordinal);

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
    public MarkUpdate? Cached(string symbol) => _marks.TryGetValue(symbol, out var cached) ? cached.Mark : null;

    /// <summary>The newest mark: this silo's, when it was confirmed lately, otherwise the market's.</summary>
    public async ValueTask<MarkUpdate?> Mark(string symbol)
    {
        if (_marks.TryGetValue(symbol, out var cached) && clock.GetElapsedTime(cached.ConfirmedAt) < ConfirmedFor)
        {
            return cached.Mark;
        }

        return await Current(symbol);
    }

    /// <summary>
    /// The market grain's own newest mark (kept in the cache too), for the rare decisions that move money:
    /// whether a liquidation goes on, and at what price.
    /// </summary>
    public async ValueTask<MarkUpdate?> Current(string symbol)
    {
        if (await grains.GetGrain<IMarketGrain>(symbol).Quote() is { } quote)
        {
            Observe(quote);
        }

        return Cached(symbol);
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
        // Any observation confirms the symbol's newest, even an older mark arriving late.
        var at = clock.GetTimestamp();
        _marks.AddOrUpdate(mark.Symbol, (mark, at), (_, current) => (current.Mark.Sequence >= mark.Sequence ? current.Mark : mark, at));
    }
}
