using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grains.Accounts;

/// <summary>
/// A trader's account, one grain behind three role interfaces: <see cref="IAccountGrain"/> (the API and the
/// client), <see cref="IAccountDelivery"/> (its market shards) and <see cref="IAccountLiquidation"/> (its
/// liquidation coordinator), each implemented explicitly in its own partial file; this file holds the state,
/// the activation and the commit path they share. Its state is the fold of its event stream (<see cref="EventStream{TState}"/>:
/// the newest snapshot and the events after it; no history is kept here): a command is decided by the domain,
/// appended at the account's version (so two activations can never both append), then applied. It joins
/// and leaves its markets' shards as positions open and close, evaluates on every mark and every own
/// change, and escalates a breach (on fresh marks only) to its coordinator partition.
/// </summary>
public sealed partial class AccountGrain : Grain
{
    private readonly EventStream<Account> _stream;
    private readonly MarketDirectory _directory;
    private readonly TimeProvider _clock;
    private readonly ILogger<AccountGrain> _logger;
    private readonly GridMetrics _metrics;
    private readonly MarginLevelThresholds _thresholds;
    private readonly TimeSpan _markMaxAge;
    private readonly AccountMarkets _markets = new();
    private readonly Dictionary<string, Escalation> _escalated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HolderReport> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableArray<HeldPosition>> _cross = new(StringComparer.Ordinal);
    private long _crossVersion = -1;
    private Dictionary<string, PriceBand>? _bands;
    private long _bandsVersion = -1;
    private long _stamp;
    private Account _account = null!;
    private MarginLevel _level = MarginLevel.Healthy;
    private bool _counted;

    public AccountGrain(IEventLog log, MarketDirectory directory, IOptions<GridOptions> options, TimeProvider clock, ILogger<AccountGrain> logger, GridMetrics metrics)
    {
        _stream = new EventStream<Account>(log, $"account:{this.GetPrimaryKeyString()}", new AccountFold(this.GetPrimaryKeyString()), options.Value.SnapshotEvery, DeactivateOnIdle);
        _directory = directory;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
        _thresholds = new MarginLevelThresholds(options.Value.WarningRatio, options.Value.DangerRatio);
        _markMaxAge = options.Value.MarkMaxAge;
    }

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _stream.Load();
        _account = _stream.State;

        foreach (var symbol in _account.Positions.Keys)
        {
            await EnsureMarket(symbol);

            // Idempotent: repairs a registration that failed after its event was appended.
            await GrainFactory.Reference<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
        }

        CountKnownFunding();
        _level = Health().WorstLevel;
        CountIfExists();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_counted)
        {
            _metrics.AccountLevel(AccountViews.Word(_level), null);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Only an account with history is counted in the level gauge: a read of an unknown id activates the
    /// grain, and that activation must leave no trace (it deactivates at once, see <see cref="IAccountGrain.GetMargin"/>).
    /// </summary>
    private void CountIfExists()
    {
        if (!_counted && _account.Version > 0)
        {
            _counted = true;
            _metrics.AccountLevel(null, AccountViews.Word(_level));
        }
    }

    /// <summary>
    /// Decides, commits and answers. A replay answers with the first result again: the view of the account
    /// as it stood right after the original command (rebuilt from its events), valued at today's marks.
    /// </summary>
    private async Task<CommandResult<T>> Execute<T>(Func<AccountEvent?> decide, Func<Account, T> view, string? replayKey)
    {
        // Every decision (a withdrawal, a margin removal, a leverage change) is judged at the silo's newest marks.
        await RefreshMarks();
        AccountEvent? accountEvent;
        try
        {
            accountEvent = decide();
        }
        catch (DomainException error)
        {
            return Errors.Fail<T>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<T>(error);
        }

        if (accountEvent is null)
        {
            var past = replayKey is null ? _account : (await Replayed(replayKey)).After;
            foreach (var symbol in past.Positions.Keys)
            {
                await EnsureMarket(symbol);
            }

            foreach (var symbol in _account.Positions.Keys)
            {
                // A client retrying after a failed registration repairs it.
                await GrainFactory.Reference<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
            }

            return CommandResult<T>.Ok(view(past), replayed: true);
        }

        try
        {
            await Commit(accountEvent);
        }
        catch (EventLogUnavailableException error)
        {
            return Errors.Unavailable<T>(error);
        }

        var withCoordinator = _escalated.Values.Select(e => e.Scope).Distinct().ToList();
        await Evaluate(escalate: true);
        await TellCoordinator(withCoordinator);
        return CommandResult<T>.Ok(view(_account));
    }

    /// <summary>The command with <paramref name="commandKey"/> as it was applied, read back from the log (the grain keeps no history).</summary>
    private async Task<StreamReplay<Account>> Replayed(string commandKey) =>
        await _stream.Replay(commandKey) ?? throw new InvalidOperationException($"{commandKey} is applied to {Id} but not in its stream.");

    private async Task Commit(AccountEvent accountEvent)
    {
        await Commit([accountEvent]);
    }

    /// <summary>
    /// Appends, then (once durable) applies, and joins or leaves the shards of markets entered or left. On a
    /// conflict or an unconfirmed append the stream deactivates this grain (the next call reloads from the log,
    /// and a retry with the same id is then a replay) and the exception goes to the caller.
    /// </summary>
    private async Task Commit(IReadOnlyList<AccountEvent> accountEvents)
    {
        var held = _account.Positions.Keys.ToHashSet(StringComparer.Ordinal);
        var at = _clock.GetUtcNow();

        // The funding the account already counts goes first, in the same append.
        await _stream.Append(UnrealisedFunding(at), [.. accountEvents.Select(e => new StoredEvent(e, at))]);
        _unrealisedFunding.Clear();
        CountIfExists();
        foreach (var symbol in _account.Positions.Keys.Where(s => !held.Contains(s)))
        {
            await GrainFactory.Reference<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
        }

        foreach (var symbol in held.Where(s => !_account.Positions.ContainsKey(s)))
        {
            await GrainFactory.Reference<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Leave(Id);
        }
    }

    private async ValueTask<Domain.Markets.MarketDefinition> EnsureMarket(string symbol, long version = 0)
    {
        if (!_markets.Has(symbol, Math.Max(1, version)))
        {
            _markets.SetDefinition(await _directory.Definition(symbol, version));
            await KnowFundingRounds(symbol);

            // Bands computed under another definition (brackets) promise nothing under this one.
            _bands = null;
        }

        if (_markets.MarkOf(symbol) is null && await _directory.Mark(symbol) is { } mark)
        {
            _markets.SetMark(mark);
        }

        return _markets.Market(symbol);
    }

    private AccountMarginView MarginView(Account account) =>
        AccountViews.Margin(account.Report(_markets, _thresholds), account.Version, _clock.GetUtcNow(), new Dictionary<string, int>(), MarkOf,
            account == _account ? PendingFunding : null);

    private AccountMarginView MarginView(IReadOnlyDictionary<string, int> quantiles) =>
        AccountViews.Margin(_account.Report(_markets, _thresholds), _account.Version, _clock.GetUtcNow(), quantiles, MarkOf, PendingFunding);

    private (long Sequence, bool Stale) MarkOf(string symbol) => (_markets.MarkOf(symbol)?.Sequence ?? 0, _markets.IsStale(symbol, _clock.GetUtcNow()));

    private PositionView PositionOf(Account account, string symbol)
    {
        var report = account.Report(_markets, _thresholds).Positions.FirstOrDefault(p => p.Symbol == symbol);
        return report is null
            ? AccountViews.Flat(symbol, account.SettingsFor(_markets.Market(symbol)))
            : AccountViews.Position(report, null, MarkOf(symbol));
    }

    private static bool InScope(Position position, MarginScope scope) =>
        scope.Symbol is { } symbol ? position.Symbol == symbol : !position.IsIsolated && position.SettleAsset == scope.Asset;
}
