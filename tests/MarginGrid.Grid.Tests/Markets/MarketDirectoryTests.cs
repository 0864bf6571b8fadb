using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Markets;
using MarginGrid.Grid.Tests.Infrastructure;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Markets;

/// <summary>
/// The silo's table of definitions and marks: it answers from the table while an entry is confirmed, asks the
/// market grain otherwise, never lets an older mark replace a newer one, and wakes every waiter on a newer mark,
/// under many concurrent writers and readers.
/// </summary>
public sealed class MarketDirectoryTests
{
    private const string Symbol = "DIRUSDT";
    private readonly ManualClock _clock = new();
    private readonly MarketDirectory _directory;
    private readonly MarketGrainStub _market;

    public MarketDirectoryTests()
    {
        var (factory, stub) = GrainFactoryStub.Create();
        _market = stub.Market(Symbol);
        _directory = new MarketDirectory(factory, _clock);
    }

    [Fact]
    public async Task A_confirmed_mark_is_answered_from_the_table_and_an_unconfirmed_one_is_asked_of_the_market()
    {
        _market.Answer = Quote(version: 1, Mark(7));
        Assert.Equal(7, (await _directory.Mark(Symbol))?.Sequence);
        Assert.Equal(1, _market.Quotes);

        _directory.Observe(Mark(8));
        _clock.Advance(MarketDirectory.ConfirmedFor - TimeSpan.FromTicks(1));
        Assert.Equal(8, (await _directory.Mark(Symbol))?.Sequence);
        Assert.Equal(1, _market.Quotes);

        _clock.Advance(TimeSpan.FromTicks(1));
        _market.Answer = Quote(version: 1, Mark(9));
        Assert.Equal(9, (await _directory.Mark(Symbol))?.Sequence);
        Assert.Equal(2, _market.Quotes);
    }

    [Fact]
    public async Task A_late_older_mark_never_replaces_the_newer_but_confirms_the_entry()
    {
        _directory.Observe(Mark(10));
        _clock.Advance(MarketDirectory.ConfirmedFor / 2);
        _directory.Observe(Mark(4));
        _clock.Advance(MarketDirectory.ConfirmedFor / 2 + TimeSpan.FromTicks(1));

        Assert.Equal(10, _directory.Cached(Symbol)?.Sequence);
        Assert.Equal(10, (await _directory.Mark(Symbol))?.Sequence);
        Assert.Equal(0, _market.Quotes);
    }

    [Fact]
    public async Task A_definition_is_asked_of_the_market_only_when_the_table_holds_an_older_version()
    {
        _directory.Observe(Quote(version: 2, mark: null));
        Assert.Equal(2, (await _directory.Definition(Symbol, 1)).Version);
        Assert.Equal(0, _market.Quotes);

        _market.Answer = Quote(version: 3, mark: null);
        Assert.Equal(3, (await _directory.Definition(Symbol, 3)).Version);
        Assert.Equal(1, _market.Quotes);

        _directory.Observe(Quote(version: 1, mark: null));
        Assert.Equal(3, _directory.CachedDefinition(Symbol)?.Version);
    }

    [Fact]
    public async Task Concurrent_writers_in_any_order_leave_the_newest_mark()
    {
        const int writers = 16;
        const int perWriter = 2_000;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            // Writer w sends w+1, w+1+16, ... newest first for odd writers: arrivals interleave in every order.
            var sequences = Enumerable.Range(0, perWriter).Select(i => (long)(w + 1 + (i * writers)));
            foreach (var sequence in w % 2 == 0 ? sequences : sequences.Reverse())
            {
                _directory.Observe(Mark(sequence));
            }
        })));

        Assert.Equal(writers * perWriter, _directory.Cached(Symbol)?.Sequence);
    }

    [Fact]
    public async Task Readers_that_wait_for_the_next_mark_are_all_woken_however_writes_interleave()
    {
        const long last = 5_000;
        const int readers = 32;
        var seen = await Task.WhenAll(Enumerable.Range(0, readers).Select(_ => Task.Run(async () =>
        {
            var wakeUps = 0;
            while (true)
            {
                // Take the wait before reading the table: a mark between the two then completes it.
                var next = _directory.NextMark(Symbol);
                if (_directory.Cached(Symbol)?.Sequence >= last)
                {
                    return wakeUps;
                }

                await next;
                wakeUps++;
            }
        })).Concat([Task.Run(async () =>
        {
            for (var sequence = 1; sequence <= last; sequence++)
            {
                _directory.Observe(Mark(sequence));
                if (sequence % 50 == 0)
                {
                    await Task.Yield();
                }
            }

            return 0;
        })]));

        // Every reader returned (a lost wake-up would leave one waiting for ever) having seen the last mark.
        Assert.Equal(readers + 1, seen.Length);
        Assert.Equal(last, _directory.Cached(Symbol)?.Sequence);
    }

    private MarkUpdate Mark(long sequence) => new(Symbol, 1_000m + sequence, sequence, _clock.GetUtcNow(), 1, false);

    private static MarketQuote Quote(long version, MarkUpdate? mark) => new(Symbol, version, Specs.LinearSpec("USDT"), mark);
}
