using System.Collections.Concurrent;
using System.Collections.Immutable;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// This silo's table of market definitions (by version) and newest marks. Every market publishes each
/// accepted mark to every silo's table once (<see cref="MarkRelayService"/>), so reads and money decisions
/// take the newest mark from here without calling a market grain. Only a market this silo has never seen,
/// or one whose entry has not been refreshed for <see cref="ConfirmedFor"/> (a silo that joined after the
/// market's last publication), is asked of the market grain. It keeps each market's funding rounds the same
/// way: a recorded round reaches this table with its holders' nudges, or on the first read after
/// <see cref="ConfirmedFor"/>.
/// </summary>
public sealed class MarketDirectory(IGrainFactory grains, TimeProvider clock)
{
    /// <summary>How long a table entry counts as the market's newest without asking (markets tick about once a second).</summary>
    public static readonly TimeSpan ConfirmedFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, MarketDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (MarkUpdate Mark, long ConfirmedAt)> _marks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _advanced = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (ImmutableArray<FundingSettlement> Rounds, long ConfirmedAt)> _rounds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _roundReads = new(StringComparer.Ordinal);

    /// <summary>The market's funding rounds this silo holds, oldest first (round n at index n − 1), without asking anyone.</summary>
    public ImmutableArray<FundingSettlement> CachedRounds(string symbol) =>
        _rounds.TryGetValue(symbol, out var cached) ? cached.Rounds : [];

    /// <summary>The market's funding rounds: this silo's table, unless it has not been confirmed for a while.</summary>
    public async ValueTask<ImmutableArray<FundingSettlement>> Rounds(string symbol)
    {
        if (_rounds.TryGetValue(symbol, out var cached) && clock.GetElapsedTime(cached.ConfirmedAt) < ConfirmedFor)
        {
            return cached.Rounds;
        }

        // One read per market at a time on this silo: a round nudges every holder at once, and they must not
        // all ask the market.
        var read = _roundReads.GetOrAdd(symbol, s => new Lazy<Task>(() => ReadRounds(s)));
        try
        {
            await read.Value;
        }
        finally
        {
            _roundReads.TryRemove(KeyValuePair.Create(symbol, read));
        }

        return CachedRounds(symbol);
    }

    private async Task ReadRounds(string symbol) =>
        ObserveRounds(symbol, await grains.GetGrain<IMarketGrain>(symbol).FundingRounds());

    /// <summary>Keeps the longer list: a market's rounds only grow.</summary>
    public void ObserveRounds(string symbol, ImmutableArray<FundingSettlement> rounds)
    {
        var at = clock.GetTimestamp();
        _rounds.AddOrUpdate(symbol, (rounds, at), (_, current) => (rounds.Length >= current.Rounds.Length ? rounds : current.Rounds, at));
    }

    /// <summary>A newly recorded round; one that skips rounds this table has not seen leaves the entry to be read again.</summary>
    public void ObserveRound(FundingSettlement round)
    {
        ArgumentNullException.ThrowIfNull(round);
        _rounds.AddOrUpdate(round.Symbol,
            _ => round.Sequence == 1 ? ([round], clock.GetTimestamp()) : ([], long.MinValue / 2),
            (_, current) => current.Rounds.Length >= round.Sequence ? current
                : current.Rounds.Length == round.Sequence - 1 ? (current.Rounds.Add(round), current.ConfirmedAt)
                : (current.Rounds, long.MinValue / 2));
    }

    /// <summary>The definition at <paramref name="version"/> or newer; asks the market grain when the table is older.</summary>
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

    /// <summary>The definition this silo holds, without asking anyone.</summary>
    public MarketDefinition? CachedDefinition(string symbol) => _definitions.GetValueOrDefault(symbol);

    /// <summary>The newest mark this silo has seen, without asking anyone.</summary>
    public MarkUpdate? Cached(string symbol) => _marks.TryGetValue(symbol, out var cached) ? cached.Mark : null;

    /// <summary>The newest mark: this silo's table, unless the table has never seen it or not for a while.</summary>
    public async ValueTask<MarkUpdate?> Mark(string symbol)
    {
        if (_marks.TryGetValue(symbol, out var cached) && clock.GetElapsedTime(cached.ConfirmedAt) < ConfirmedFor)
        {
            return cached.Mark;
        }

        return await Current(symbol);
    }

    /// <summary>The market grain's own newest mark (kept in the table too).</summary>
    private async ValueTask<MarkUpdate?> Current(string symbol)
    {
        if (await grains.GetGrain<IMarketGrain>(symbol).Quote() is { } quote)
        {
            Observe(quote);
        }

        return Cached(symbol);
    }

    /// <summary>Completes when the table next takes a newer mark of <paramref name="symbol"/> (for live streams).</summary>
    public Task NextMark(string symbol) =>
        _advanced.GetOrAdd(symbol, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

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

    /// <summary>Keeps the newer mark; any observation, even of an older mark arriving late, confirms the entry.</summary>
    public void Observe(MarkUpdate mark)
    {
        ArgumentNullException.ThrowIfNull(mark);
        var at = clock.GetTimestamp();
        while (true)
        {
            if (!_marks.TryGetValue(mark.Symbol, out var current))
            {
                if (_marks.TryAdd(mark.Symbol, (mark, at)))
                {
                    Advanced(mark.Symbol);
                    return;
                }

                continue;
            }

            // The same mark flagged stale comes from a market that reactivated without a new one: it replaces the fresh copy.
            var newer = mark.Sequence > current.Mark.Sequence || (mark.Sequence == current.Mark.Sequence && mark.Stale && !current.Mark.Stale);
            if (_marks.TryUpdate(mark.Symbol, (newer ? mark : current.Mark, at), current))
            {
                if (newer)
                {
                    Advanced(mark.Symbol);
                }

                return;
            }
        }
    }

    private void Advanced(string symbol)
    {
        if (_advanced.TryRemove(symbol, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
