using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.LoadTest.Workload;

namespace MarginGrid.LoadTest;

/// <summary>
/// Drives the marks: a random walk per market at its own phase, H ticks a second, a −5% shock on one market
/// every shock interval, and funding settlements. Each tick's latency is taken from its intended send time
/// (a late send is measured as late: no coordinated omission) until the market's fan-out of that mark, or
/// of a newer one that superseded it, is complete. Breach-to-liquidation is taken from the intended send time
/// of the mark the breach was detected on until its coordinator accepted it. The grid's milestones (a mark
/// accepted, a fan-out complete, a breach accepted) arrive through a listener on the silo's probe meter.
/// </summary>
public sealed class TickDriver : IDisposable
{
    private readonly MeterListener _milestones = new();
    private readonly IGrainFactory _grains;
    private readonly IReadOnlyList<LoadMarket> _markets;
    private readonly LoadTestOptions _options;
    private readonly Random _random;
    private readonly ConcurrentDictionary<string, MarketTicks> _ticks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MarkHistory> _history = new(StringComparer.Ordinal);
    private long _sent;
    private long _shocks;
    private long _fundings;
    private long _breaches;
    private long _slowFundings;
    private readonly decimal _crashStep = 1m;
    private readonly List<double> _fundingRoundSeconds = [];

    /// <summary>
    /// <paramref name="silo"/> is the in-process silo whose probes time each tick and breach; null for silos in other
    /// processes (the durable cluster), whose own histograms are read from their metrics instead.
    /// </summary>
    public TickDriver(IGrainFactory grains, GridMetrics? silo, IReadOnlyList<LoadMarket> markets, LoadTestOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _markets = markets;
        _options = options;
        _random = random;
        foreach (var market in markets)
        {
            _ticks[market.Symbol] = new MarketTicks(market.StartPrice);
            _history[market.Symbol] = new MarkHistory();
        }

        if (options.CrashPercent > 0m)
        {
            // The factor per tick that compounds to the whole fall over the crash window.
            var ticksInWindow = Math.Max(1.0, options.CrashWindow.TotalSeconds * (double)options.TickHz);
            _crashStep = (decimal)Math.Pow(1 - (double)(options.CrashPercent / 100m), 1 / ticksInWindow);
        }

        if (silo is null)
        {
            return;
        }

        _milestones.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GridMetrics.ProbeMeterName && instrument.Meter.Scope == silo.Meter.Scope)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _milestones.SetMeasurementEventCallback<long>(OnMilestone);
        _milestones.Start();
    }

    public LatencyRecorder TickToMargin { get; } = new();

    public LatencyRecorder BreachToLiquidation { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);

    public long Shocks => Interlocked.Read(ref _shocks);

    public long Fundings => Interlocked.Read(ref _fundings);

    /// <summary>Settlement calls that outlasted their timeout (the delivery went on).</summary>
    public long SlowFundings => Interlocked.Read(ref _slowFundings);

    public long Breaches => Interlocked.Read(ref _breaches);

    /// <summary>
    /// Each funding round: from its first settlement call to the last one's answer, when every market's round is
    /// settled as the grid defines it (eager: every holder paid; lazy: the round recorded). Rounds with a call that
    /// outlasted its timeout are left out (counted in <see cref="SlowFundings"/>).
    /// </summary>
    public IReadOnlyList<double> FundingRoundSeconds
    {
        get
        {
            lock (_fundingRoundSeconds)
            {
                return [.. _fundingRoundSeconds];
            }
        }
    }

    /// <summary>Whether latencies are being recorded (not during warm-up and the audit's quiet period).</summary>
    public bool Measuring { get; set; }

    /// <summary>
    /// Each market's recently accepted marks (sequence, and when <c>AcceptMark</c> returned it), for the clients of the
    /// HTTP API: whether a read missed a mark, and how long a mark took to reach an SSE subscriber. Null for an unknown symbol.
    /// </summary>
    public MarkHistory? History(string symbol) => _history.GetValueOrDefault(symbol);

    /// <summary>The newest mark one market accepted (its start price before any).</summary>
    public decimal NewestMark(string symbol) => _ticks[symbol].Accepted;

    /// <summary>The newest mark each market accepted.</summary>
    public IReadOnlyDictionary<string, decimal> Marks() => _ticks.ToDictionary(t => t.Key, t => t.Value.Accepted, StringComparer.Ordinal);

    /// <summary>One mark on every market, awaited until its fan-out is complete: every account then has a band.</summary>
    public async Task WarmUp()
    {
        foreach (var market in _markets)
        {
            await Send(market, Stopwatch.GetTimestamp(), shock: false);
        }

        await Quiesce(TimeSpan.FromMinutes(30));
    }

    /// <summary>
    /// Waits until every market's fan-out has reached the newest mark it accepted (told by the grid's probes,
    /// so no call has to wait out a long fan-out).
    /// </summary>
    public async Task Quiesce(TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (_ticks.Values.Any(t => t.Completed < t.LastAccepted))
        {
            if (clock.Elapsed > within)
            {
                throw new TimeoutException($"Fan-outs not complete within {within}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Marks while accounts are being opened, as on a live venue (unmeasured, no shocks, no funding): the
    /// accounts then band themselves on fresh marks. Without it, marks go stale during a long opening, stale
    /// marks give no band, and the first tick afterwards must reach every holder at once.
    /// </summary>
    public async Task Feed(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(1 / (double)_options.TickHz);
        var start = Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(_markets.Select((market, k) => FeedMarket(market, start, period, TimeSpan.FromTicks(period.Ticks * k / _markets.Count), cancellationToken)));
        }
        catch (OperationCanceledException)
        {
            // The opening finished.
        }
    }

    private async Task FeedMarket(LoadMarket market, long start, TimeSpan period, TimeSpan phase, CancellationToken cancellationToken)
    {
        for (var i = 0L; !cancellationToken.IsCancellationRequested; i++)
        {
            var due = phase + (period * i);
            await DelayUntil(start, due, cancellationToken);
            await Send(market, start + (long)(due.TotalSeconds * Stopwatch.Frequency), shock: false);
        }
    }

    public async Task Run(TimeSpan duration, Action<double> onProgress, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var period = TimeSpan.FromSeconds(1 / (double)_options.TickHz);
        var loops = _markets.Select((market, k) => RunMarket(market, start, period, TimeSpan.FromTicks(period.Ticks * k / _markets.Count), duration, cancellationToken)).ToList();
        loops.Add(RunFunding(start, duration, cancellationToken));
        loops.Add(Report(start, duration, onProgress, cancellationToken));
        await Task.WhenAll(loops);
    }

    private async Task RunMarket(LoadMarket market, long start, TimeSpan period, TimeSpan phase, TimeSpan duration, CancellationToken cancellationToken)
    {
        var shockEvery = TimeSpan.FromSeconds(_options.ShockEverySeconds);
        var shockSlot = _markets.ToList().IndexOf(market);
        for (var i = 0L; ; i++)
        {
            var due = phase + (period * i);
            if (due >= duration || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await DelayUntil(start, due, cancellationToken);

            // Shock n falls on market n mod M, at its first tick of the n-th shock interval.
            var interval = (long)(due / shockEvery);
            var shock = interval > 0 && interval % _markets.Count == shockSlot && due - (shockEvery * interval) < period;
            await Send(market, start + (long)(due.TotalSeconds * Stopwatch.Frequency), shock, crashing: due < _options.CrashWindow);
        }
    }

    private async Task Send(LoadMarket market, long intended, bool shock, bool crashing = false)
    {
        var ticks = _ticks[market.Symbol];
        decimal next;
        lock (_random)
        {
            // In a crash every tick also takes its share of the fall, so every market is down P% by the window's end.
            var move = shock ? -0.05m : (decimal)(NextGaussian() * 0.0015);
            var step = crashing ? _crashStep : 1m;
            next = Math.Max(market.Definition.TickSize, market.Definition.RoundPriceDown(ticks.Accepted * (1m + move) * step));
        }

        ticks.Intended = intended;
        var result = await _grains.GetGrain<IMarketGrain>(market.Symbol).AcceptMark(next);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Mark {next} on {market.Symbol} refused: {result.Error}");
        }

        ticks.Accepted = next;
        _history[market.Symbol].Record(result.Value, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _sent);
        if (shock)
        {
            Interlocked.Increment(ref _shocks);
        }
    }

    private async Task RunFunding(long start, TimeSpan duration, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromSeconds(_options.FundingEverySeconds);
        for (var n = 1; every * n < duration && !cancellationToken.IsCancellationRequested; n++)
        {
            await DelayUntil(start, every * n, cancellationToken);
            var round = n;
            var clock = Stopwatch.StartNew();
            var slowBefore = SlowFundings;
            await Task.WhenAll(_markets.Select(async m =>
            {
                decimal rate;
                lock (_random)
                {
                    rate = decimal.Round((decimal)((_random.NextDouble() - 0.5) * 0.001), 6);
                }

                try
                {
                    var result = await _grains.GetGrain<IMarketGrain>(m.Symbol).Settle($"lt-funding-{round}-{m.Symbol}", rate);
                    if (!result.Succeeded)
                    {
                        throw new InvalidOperationException($"Funding on {m.Symbol} refused: {result.Error}");
                    }
                }
                catch (TimeoutException)
                {
                    // A settlement reaching hundreds of thousands of holders can outlast the call's timeout; the market
                    // goes on delivering it (it was recorded first), so the run goes on too.
                    Interlocked.Increment(ref _slowFundings);
                }
            }));
            if (SlowFundings == slowBefore)
            {
                lock (_fundingRoundSeconds)
                {
                    _fundingRoundSeconds.Add(Math.Round(clock.Elapsed.TotalSeconds, 3));
                }
            }

            Interlocked.Increment(ref _fundings);
        }
    }

    private static async Task Report(long start, TimeSpan duration, Action<double> onProgress, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            onProgress(Math.Min(1, elapsed / duration));
            if (elapsed >= duration)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _milestones.Dispose();

    private void OnMilestone(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? market = null;
        long sequence = 0;
        var marks = ImmutableArray<MarkAtBreach>.Empty;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "market":
                    market = tag.Value as string;
                    break;
                case "sequence" when tag.Value is long s:
                    sequence = s;
                    break;
                case "marks" when tag.Value is ImmutableArray<MarkAtBreach> m:
                    marks = m;
                    break;
            }
        }

        switch (instrument.Name)
        {
            case GridMetrics.MarkAcceptedProbe when market is not null:
                OnMarkAccepted(market, sequence);
                break;
            case GridMetrics.FanoutCompletedProbe when market is not null:
                OnFanoutCompleted(market, sequence);
                break;
            case GridMetrics.BreachAcceptedProbe:
                OnBreachAccepted(marks);
                break;
        }
    }

    private void OnMarkAccepted(string symbol, long sequence)
    {
        if (_ticks.TryGetValue(symbol, out var ticks))
        {
            ticks.Pending.Enqueue((sequence, ticks.Intended));
            ticks.LastAccepted = Math.Max(ticks.LastAccepted, sequence);
            ticks.Recent[sequence] = ticks.Intended;
            if (ticks.Recent.Count > 4_096)
            {
                foreach (var old in ticks.Recent.Keys.Order().Take(2_048).ToList())
                {
                    ticks.Recent.TryRemove(old, out _);
                }
            }
        }
    }

    private void OnFanoutCompleted(string symbol, long sequence)
    {
        if (!_ticks.TryGetValue(symbol, out var ticks))
        {
            return;
        }

        ticks.Completed = Math.Max(ticks.Completed, sequence);

        while (ticks.Pending.TryPeek(out var pending) && pending.Sequence <= sequence && ticks.Pending.TryDequeue(out pending))
        {
            if (Measuring)
            {
                TickToMargin.RecordSince(pending.Intended);
            }
        }
    }

    private void OnBreachAccepted(ImmutableArray<MarkAtBreach> marks)
    {
        long? intended = null;
        foreach (var mark in marks)
        {
            if (_ticks.TryGetValue(mark.Symbol, out var ticks) && ticks.Recent.TryGetValue(mark.Sequence, out var at) && (intended is null || at > intended))
            {
                intended = at;
            }
        }

        Interlocked.Increment(ref _breaches);
        if (intended is { } from && Measuring)
        {
            BreachToLiquidation.RecordSince(from);
        }
    }

    private static async Task DelayUntil(long start, TimeSpan due, CancellationToken cancellationToken)
    {
        var wait = due - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private double NextGaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private sealed class MarketTicks(decimal start)
    {
        public decimal Accepted { get; set; } = start;

        public long Intended { get; set; }

        public long LastAccepted { get; set; }

        public long Completed { get; set; }

        public ConcurrentQueue<(long Sequence, long Intended)> Pending { get; } = new();

        public ConcurrentDictionary<long, long> Recent { get; } = new();
    }
}
