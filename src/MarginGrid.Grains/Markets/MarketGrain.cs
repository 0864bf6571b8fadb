using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Markets;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A perpetual market. It validates and versions the definition, accepts marks and index ticks (from the
/// API or its price-feed stream), settles funding on a reminder, and pushes marks to its shards with
/// conflation. It computes nothing itself: the domain library does. Each funding round is recorded once, in the
/// ledger (stream <c>funding:{symbol}</c>); holders realise it lazily, so a round costs one append, not one per holder.
/// </summary>
[ImplicitStreamSubscription(StreamNames.PriceFeed)]
public sealed partial class MarketGrain : Grain, IMarketGrain, IRemindable, IStreamSubscriptionObserver
{
    private const string FundingReminder = "funding";

    /// <summary>How soon a shard whose delivery failed gets the newest mark again (a dead silo's grains move within seconds).</summary>
    private static readonly TimeSpan ShardRedeliveryDelay = TimeSpan.FromSeconds(2);
    private readonly IPersistentState<MarketState> _state;
    private readonly IPersistentState<LastMarkState> _lastMark;
    private readonly LatestWinsPump<LastMarkState> _markWriter;
    private readonly MarketDirectory _directory;
    private readonly IEventLog _log;
    private readonly List<FundingSettlement> _rounds = [];
    private readonly TimeProvider _clock;
    private readonly ILogger<MarketGrain> _logger;
    private readonly LatestWinsPump<MarkUpdate> _fanout;
    private readonly MarkPublisher _publisher;
    private readonly ShardStats?[] _shardStats = new ShardStats?[MarketShards.Count];
    private readonly HashSet<int> _shardsBehind = [];
    private IGrainTimer? _redelivery;
    private MarketDefinition? _definition;
    private readonly GridMetrics _metrics;
    private MarkUpdate? _mark;
    private decimal? _index;
    private DateTimeOffset? _indexTime;

    public MarketGrain(
        [PersistentState("market", StreamNames.Storage)] IPersistentState<MarketState> state,
        [PersistentState("market-mark", StreamNames.Storage)] IPersistentState<LastMarkState> lastMark,
        MarketDirectory directory,
        IEventLog log,
        GridMetrics metrics,
        IClusterMembershipService membership,
        MarkRelayClient relays,
        TimeProvider clock,
        ILogger<MarketGrain> logger)
    {
        _state = state;
        _lastMark = lastMark;
        _markWriter = new LatestWinsPump<LastMarkState>(WriteLastMark);
        _directory = directory;
        _log = log;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _fanout = new LatestWinsPump<MarkUpdate>(DeliverToShards);
        _publisher = new MarkPublisher(membership, relays, logger);
    }

    private string Symbol => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_state.State.Versions.Count > 0)
        {
            var latest = _state.State.Versions[^1];
            _definition = MarketSpecMapper.ToDomain(Symbol, latest.Spec, latest.Version);
            _metrics.MarketRegistered(Symbol, _definition.SettleAsset);

            // After a restart the last mark is where reads start until the feed resumes; it is flagged stale, so
            // no money is decided and nobody is liquidated on it before a mark accepted by this activation.
            _mark = _lastMark.State.Mark is { } last ? last with { Stale = true } : null;
            _index = _lastMark.State.Index;
            _indexTime = _lastMark.State.IndexTime;
            var quote = new MarketQuote(Symbol, _definition.Version, latest.Spec, _mark);
            _directory.Observe(quote);
            _ = _publisher.Publish(quote);
            await LoadRounds();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _metrics.MarketGone(Symbol);
        return Task.CompletedTask;
    }

    public async Task<CommandResult<MarketView>> Define(MarketSpec spec)
    {
        MarketDefinition definition;
        try
        {
            definition = MarketSpecMapper.ToDomain(Symbol, spec, (_definition?.Version ?? 0) + 1);
        }
        catch (DomainException error)
        {
            return Errors.Fail<MarketView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<MarketView>(error);
        }

        if (_state.State.Versions.Count > 0 && SameSpec(_state.State.Versions[^1].Spec, spec))
        {
            return CommandResult<MarketView>.Ok(await View(askShards: true), replayed: true);
        }

        _state.State.Versions.Add(new MarketSpecVersion(definition.Version, spec, _clock.GetUtcNow()));
        await _state.WriteStateAsync();
        await GrainFactory.GetGrain<IMarketCatalogGrain>(0).Add(Symbol);
        _definition = definition;
        _metrics.MarketRegistered(Symbol, definition.SettleAsset);
        var quote = new MarketQuote(Symbol, definition.Version, spec, _mark);
        _directory.Observe(quote);
        _ = _publisher.Publish(quote);
        await this.RegisterOrUpdateReminder(FundingReminder, UntilNextFunding(), definition.FundingInterval);
        _logger.LogInformation("Market {Symbol} defined at version {Version}", Symbol, definition.Version);
        return CommandResult<MarketView>.Ok(await View(askShards: true));
    }

    public async Task<MarketView?> Get() => _definition is null ? Undefined<MarketView>() : await View(askShards: true);

    public Task<IReadOnlyList<MarketSpecVersion>> History() =>
        Task.FromResult<IReadOnlyList<MarketSpecVersion>>(_definition is null ? [] : [.. _state.State.Versions]);

    /// <summary>A read of a market nobody defined answers nothing and leaves no activation behind.</summary>
    private T? Undefined<T>()
        where T : class
    {
        DeactivateOnIdle();
        return null;
    }

    public Task<MarketQuote?> Quote() => Task.FromResult(_definition is null
        ? null
        : new MarketQuote(Symbol, _definition.Version, _state.State.Versions[^1].Spec, _mark));

    public async Task<CommandResult<MarketView>> SetMarkPrice(decimal price)
    {
        try
        {
            var market = RequireDefined();
            market.RequireValidPrice(price, "Mark price");
        }
        catch (DomainException error)
        {
            return Errors.Fail<MarketView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<MarketView>(error);
        }

        Publish(price);
        return CommandResult<MarketView>.Ok(await View(askShards: false));
    }

    public Task<CommandResult<long>> AcceptMark(decimal price)
    {
        try
        {
            var market = RequireDefined();
            market.RequireValidPrice(price, "Mark price");
        }
        catch (DomainException error)
        {
            return Task.FromResult(Errors.Fail<long>(error));
        }

        Publish(price);
        return Task.FromResult(CommandResult<long>.Ok(_mark!.Sequence));
    }

    public async Task<CommandResult<MarketView>> SetIndexPrice(decimal price, decimal? impactBid, decimal? impactAsk)
    {
        decimal mark;
        decimal? sample;
        try
        {
            var market = RequireDefined();
            GridBounds.Within(price, GridBounds.MaxPrice, "Index price");
            GridBounds.Within(impactBid ?? 0m, GridBounds.MaxPrice, "Impact bid");
            GridBounds.Within(impactAsk ?? 0m, GridBounds.MaxPrice, "Impact ask");
            Require.Positive(price, "Index price", ErrorCodes.InvalidPrice);
            Require.That((impactBid is null) == (impactAsk is null), ErrorCodes.InvalidPrice, "Impact bid and ask come together or not at all.");
            sample = impactBid is { } bid && impactAsk is { } ask ? FundingCalculator.PremiumSample(price, bid, ask) : null;
            var fraction = (decimal)(UntilNextFunding().TotalSeconds / market.FundingInterval.TotalSeconds);
            mark = market.RoundPriceDown(MarkPriceCalculator.Derive(price, _state.State.LastFundingRate, Math.Clamp(fraction, 0m, 1m), null, null));
            Require.Positive(mark, "Derived mark", ErrorCodes.InvalidPrice);
            GridBounds.Within(mark, GridBounds.MaxPrice, "Derived mark");
        }
        catch (DomainException error)
        {
            return Errors.Fail<MarketView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<MarketView>(error);
        }

        // Only an accepted tick leaves a sample behind.
        if (sample is { } accepted)
        {
            _state.State.PremiumSamples.Add(accepted);
        }

        _index = price;
        _indexTime = _clock.GetUtcNow();
        Publish(mark);
        return CommandResult<MarketView>.Ok(await View(askShards: false));
    }

    public async Task RecordDeficit(string liquidationId, decimal amount)
    {
        if (amount <= 0m || !_state.State.DeficitLiquidations.Add(liquidationId))
        {
            return;
        }

        _state.State.UnresolvedDeficit += amount;
        await _state.WriteStateAsync();
        _logger.LogError("Unresolved deficit of {Amount} on {Symbol} from liquidation {Liquidation}: neither the insurance fund nor ADL covered it",
            amount, Symbol, liquidationId);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != FundingReminder || _definition is null)
        {
            return;
        }

        // The id names the interval boundary, so a reminder that fires twice settles once. A market just
        // reactivated has no mark yet: the settlement waits for the first one rather than being skipped.
        var boundary = LastBoundary(_clock.GetUtcNow(), _definition.FundingInterval);
        var settlementId = $"{Symbol}-{boundary:yyyyMMddTHHmm}";
        if (_mark is null)
        {
            _state.State.FundingDue = settlementId;
            await _state.WriteStateAsync();
            return;
        }

        await Settle(settlementId, rate: null);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<PriceTick>().ResumeAsync(async (tick, _) =>
        {
            var error = tick.IsIndex ? (await SetIndexPrice(tick.Price, tick.ImpactBid, tick.ImpactAsk)).Error : (await AcceptMark(tick.Price)).Error;
            if (error is not null)
            {
                _logger.LogWarning("Price tick for {Symbol} refused: {Error}", Symbol, error);
            }
        });
    }

    private void Publish(decimal price)
    {
        var market = _definition!;
        // Sequences stay monotonic across activations (a market reactivated on another silo has lost its
        // last mark), so holders never mistake a new mark for an old one.
        var now = _clock.GetUtcNow();
        var update = new MarkUpdate(Symbol, price, Math.Max((_mark?.Sequence ?? 0) + 1, now.UtcTicks), now, market.Version, Stale: false);
        _mark = update;
        _directory.Observe(update);

        // Every silo's table first (one message per silo), then the holders that must re-evaluate (the fan-out).
        _ = _publisher.Publish(new MarketQuote(Symbol, market.Version, _state.State.Versions[^1].Spec, update));
        _ = _markWriter.Submit(new LastMarkState { Mark = update, Index = _index, IndexTime = _indexTime });
        _metrics.MarkAccepted(Symbol);
        _metrics.MarketMarked(Symbol, price, now, market.StalePriceLimit);
        _metrics.MarkSequenced(Symbol, update.Sequence);
        _ = _fanout.Submit(update);
        if (_state.State.FundingDue is { } due)
        {
            _state.State.FundingDue = null;
            _ = Settle(due, rate: null);
        }
    }

    /// <summary>The newest mark only, one write at a time; a failed write is logged and superseded by the next mark.</summary>
    private async Task WriteLastMark(LastMarkState last)
    {
        try
        {
            _lastMark.State = last;
            await _lastMark.WriteStateAsync();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Keeping the last mark of {Symbol} failed; the next mark writes it again", Symbol);
        }
    }

    private async Task DeliverToShards(MarkUpdate update)
    {
        var started = _clock.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, MarketShards.Count).Select(k => DeliverToShard(k, update)));
        _metrics.TickToMargin(_clock.GetElapsedTime(started));
        _metrics.FanoutCompleted(Symbol, update.Sequence);
    }

    /// <summary>
    /// One shard's delivery. A failure (its silo just died, before membership said so) is logged for that shard
    /// only and the shard gets the newest mark again soon: the feed may send no further mark, and a shard that
    /// missed the last one would leave its holders judged at an old price until it did.
    /// </summary>
    private async Task DeliverToShard(int shard, MarkUpdate update)
    {
        try
        {
            _shardStats[shard] = await GrainFactory.Reference<IMarketShardGrain>(MarketShards.Key(Symbol, shard)).Deliver(update);
            _shardsBehind.Remove(shard);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Delivering {Symbol} mark {Sequence} to shard {Shard} failed; it gets the newest mark again soon", Symbol, update.Sequence, shard);
            _shardsBehind.Add(shard);
            _redelivery ??= this.RegisterGrainTimer(RedeliverToShardsBehind, new GrainTimerCreationOptions(ShardRedeliveryDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
    }

    private async Task RedeliverToShardsBehind(CancellationToken cancellationToken)
    {
        _redelivery?.Dispose();
        _redelivery = null;
        if (_mark is { Stale: false } newest)
        {
            await Task.WhenAll(_shardsBehind.ToList().Select(k => DeliverToShard(k, newest)));
        }
    }

    /// <param name="askShards">
    /// False on the mark path: open interest and holders are then those the shards returned with their last
    /// delivery, so that accepting a mark makes no call of its own.
    /// </param>
    private async Task<MarketView> View(bool askShards)
    {
        var market = RequireDefined();
        var stats = askShards
            ? await Task.WhenAll(Enumerable.Range(0, MarketShards.Count)
                .Select(k => GrainFactory.Reference<IMarketShardGrain>(MarketShards.Key(Symbol, k)).Stats()))
            : [.. _shardStats.OfType<ShardStats>()];
        var now = _clock.GetUtcNow();
        return new MarketView(
            Symbol, market.Version, _state.State.Versions[^1].Spec, MarketSpecMapper.Brackets(market),
            _mark?.Price, _mark?.At, _index, _indexTime, IsStale(now),
            _state.State.LastFundingRate, FundingCalculator.Rate(market, [.. _state.State.PremiumSamples]),
            now + UntilNextFunding(), stats.Sum(s => s.LongQuantity), stats.Sum(s => s.Holders), _state.State.UnresolvedDeficit);
    }

    /// <summary>Record equality compares the bracket arrays by reference; a re-sent definition compares by content.</summary>
    private static bool SameSpec(MarketSpec a, MarketSpec b) =>
        a with { Brackets = [] } == b with { Brackets = [] } && a.Brackets.SequenceEqual(b.Brackets);

    private bool IsStale(DateTimeOffset now) => _mark is null || _mark.Stale || now - _mark.At > _definition!.StalePriceLimit;

    private MarketDefinition RequireDefined() =>
        _definition ?? throw new DomainException(ErrorCodes.UnknownMarket, $"There is no market {Symbol}.");

    private TimeSpan UntilNextFunding()
    {
        var interval = _definition?.FundingInterval ?? TimeSpan.FromHours(8);
        var now = _clock.GetUtcNow();
        var next = LastBoundary(now, interval) + interval;
        return next - now;
    }

    private static DateTimeOffset LastBoundary(DateTimeOffset now, TimeSpan interval) =>
        new(now.UtcTicks - (now.UtcTicks % interval.Ticks), TimeSpan.Zero);
}
