using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Liquidations;
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
/// A trader's account. Its state is the fold of its event stream: a command is decided by the domain,
/// appended at the account's version (so two activations can never both append), then applied. It joins
/// and leaves its markets' shards as positions open and close, evaluates on every mark and every own
/// change, and escalates a breach (on fresh marks only) to its coordinator partition.
/// </summary>
public sealed partial class AccountGrain : Grain, IAccountGrain
{
    private readonly IEventLog _log;
    private readonly MarketDirectory _directory;
    private readonly TimeProvider _clock;
    private readonly ILogger<AccountGrain> _logger;
    private readonly GridMetrics _metrics;
    private readonly MarginLevelThresholds _thresholds;
    private readonly TimeSpan _markMaxAge;
    private readonly AccountMarkets _markets = new();
    private readonly List<StoredEvent> _events = [];
    private readonly Dictionary<string, ScopeKey> _escalated = new(StringComparer.Ordinal);
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
        _log = log;
        _directory = directory;
        _clock = clock;
        _logger = logger;
        _metrics = metrics;
        _thresholds = new MarginLevelThresholds(options.Value.WarningRatio, options.Value.DangerRatio);
        _markMaxAge = options.Value.MarkMaxAge;
    }

    private string Id => this.GetPrimaryKeyString();

    private string Stream => $"account:{Id}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _account = new Account(Id);
        foreach (var stored in await _log.Read(Stream))
        {
            _account.Apply((AccountEvent)stored.Event);
            _events.Add(stored);
        }

        foreach (var symbol in _account.Positions.Keys)
        {
            await EnsureMarket(symbol);

            // Idempotent: repairs a registration that failed after its event was appended.
            await GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
        }

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
    /// grain, and that activation must leave no trace (it deactivates at once, see <see cref="GetMargin"/>).
    /// </summary>
    private void CountIfExists()
    {
        if (!_counted && _account.Version > 0)
        {
            _counted = true;
            _metrics.AccountLevel(null, AccountViews.Word(_level));
        }
    }

    public Task<CommandResult<AccountMarginView>> Deposit(string transferId, string asset, decimal amount) =>
        Execute(() => _account.DecideDeposit(transferId, asset, amount), MarginView, $"transfer:{transferId}");

    public Task<CommandResult<AccountMarginView>> Withdraw(string transferId, string asset, decimal amount) =>
        Execute(OnFreshMarks(() => _account.DecideWithdrawal(transferId, asset, amount, _markets, _thresholds), () => _account.Positions.Keys), MarginView, $"transfer:{transferId}");

    public async Task<CommandResult<PositionView>> ApplyFill(string fillId, string symbol, string side, decimal quantity, decimal price, decimal fee)
    {
        try
        {
            var parsed = ParseSide(side);
            var market = await EnsureMarket(symbol);
            AccountEvent? DecideFill()
            {
                var decided = _account.DecideFill(new Fill(fillId, symbol, parsed, quantity, price, fee), market);
                if (decided is not null && _markets.MarkOf(symbol) is null)
                {
                    // A market with no mark yet is valued at the first accepted trade price until its first mark arrives.
                    _markets.SetMark(new MarkUpdate(symbol, price, 0, _clock.GetUtcNow(), market.Version, Stale: true));
                }

                return decided;
            }

            return await Execute(DecideFill, a => PositionOf(a, symbol), $"fill:{fillId}");
        }
        catch (DomainException error)
        {
            return Errors.Fail<PositionView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<PositionView>(error);
        }
    }

    public async Task<CommandResult<AccountMarginView>> ChangeSettings(string symbol, string marginMode, int leverage)
    {
        try
        {
            var mode = ParseMode(marginMode);
            await EnsureMarket(symbol);
            return await Execute(() => _account.DecideSettings(symbol, new PositionSettings(mode, leverage), _markets, _thresholds), MarginView, replayKey: null);
        }
        catch (DomainException error)
        {
            return Errors.Fail<AccountMarginView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<AccountMarginView>(error);
        }
    }

    public async Task<CommandResult<PositionView>> ChangeIsolatedMargin(string operationId, string symbol, decimal delta)
    {
        try
        {
            await EnsureMarket(symbol);
            // Adding margin never needs a mark (a top-up during a feed halt is what a trader does); removing it does.
            Func<AccountEvent?> decide = () => _account.DecideIsolatedMarginChange(operationId, symbol, delta, _markets, _thresholds);
            return await Execute(delta < 0m ? OnFreshMarks(decide, () => [symbol]) : decide, a => PositionOf(a, symbol), $"op:{operationId}");
        }
        catch (DomainException error)
        {
            return Errors.Fail<PositionView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<PositionView>(error);
        }
    }

    public async Task<CommandResult<OrderCheckView>> CheckOrder(string symbol, string side, decimal quantity, decimal price)
    {
        try
        {
            var parsed = ParseSide(side);
            await EnsureMarket(symbol);
            await RefreshMarks();
            RequireFreshMarks(_account.Positions.Keys.Append(symbol));

            var result = _account.CheckOrder(symbol, parsed, quantity, price, _markets, _thresholds);
            return CommandResult<OrderCheckView>.Ok(new OrderCheckView(result.Accepted, result.RequiredInitialMargin, result.AvailableBalance, result.Reason));
        }
        catch (DomainException error)
        {
            return Errors.Fail<OrderCheckView>(error);
        }
        catch (OverflowException error)
        {
            return Errors.Overflow<OrderCheckView>(error);
        }
    }

    public async Task<AccountMarginView> GetMargin()
    {
        if (_account.Version == 0)
        {
            // Nobody has this account: answer "no history" and leave no activation behind.
            DeactivateOnIdle();
            return MarginView(new Dictionary<string, int>());
        }

        await RefreshMarks();

        // One ranking read per held market, all at once: a read waits for the slowest shard, not for their sum.
        var symbols = _account.Positions.Keys.ToArray();
        var ranked = await Task.WhenAll(symbols.Select(s => GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.KeyFor(s, Id)).AdlQuantile(Id)));
        var quantiles = new Dictionary<string, int>(symbols.Length, StringComparer.Ordinal);
        for (var i = 0; i < symbols.Length; i++)
        {
            if (ranked[i] is { } quantile)
            {
                quantiles[symbols[i]] = quantile;
            }
        }

        return MarginView(quantiles);
    }

    public Task<AccountHoldings> GetHoldings() => Task.FromResult(new AccountHoldings(Id, _account.Version,
        [.. _account.WalletBalances().Select(w => new WalletHolding(w.Asset, w.Balance))],
        [.. _account.Positions.Values.Select(p => new PositionHolding(p.Symbol, p.SettleAsset, p.IsIsolated ? "isolated" : "cross", p.Leverage, p.Size, p.EntryPrice, p.IsolatedMargin))],
        _escalated.Count > 0));

    public async Task<string> GetLevel()
    {
        await RefreshMarks();
        return AccountViews.Word(Health().WorstLevel);
    }

    public Task<ImmutableArray<LedgerEntryView>> GetLedger(long after, int limit)
    {
        var entries = new List<LedgerEntryView>();
        long sequence = 0;
        foreach (var stored in _events)
        {
            foreach (var entry in ((AccountEvent)stored.Event).Transactions.SelectMany(t => t.Entries).Where(e => e.Account.BelongsTo(Id)))
            {
                sequence++;
                if (sequence > after && entries.Count < limit)
                {
                    entries.Add(new LedgerEntryView(sequence, entry.EntryId, entry.TransactionId, entry.Kind.ToString(),
                        entry.Account.Symbol.Length == 0 ? "wallet" : $"isolated:{entry.Account.Symbol}", entry.Account.Asset, entry.Amount, stored.At));
                }
            }
        }

        return Task.FromResult<ImmutableArray<LedgerEntryView>>([.. entries]);
    }

    public async Task<HolderReport> OnMark(MarkUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_markets.Has(update.Symbol, update.MarketVersion))
        {
            await EnsureMarket(update.Symbol, update.MarketVersion);
        }

        // In breach, the same mark again is evaluated too: it is how a shard retries an escalation that failed
        // (a coordinator's silo stopping); escalated breaches are not sent twice.
        if (_markets.SetMark(update) || _level == MarginLevel.Breach)
        {
            await Evaluate(escalate: true, replyFor: update.Symbol);
        }

        var report = Report(update.Symbol);
        _reported[update.Symbol] = report;
        return report;
    }

    public async Task OnFunding(FundingSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var market = await EnsureMarket(settlement.Symbol);
        var result = await Execute(() => _account.DecideFunding(settlement.SettlementId, market, settlement.Rate, settlement.MarkPrice), _ => 0, replayKey: null);
        if (!result.Succeeded)
        {
            _logger.LogError("Funding {Settlement} refused on {Account}: {Error}", settlement.SettlementId, Id, result.Error);
        }
    }

    public async Task<string> Evaluate() => AccountViews.Word(await Evaluate(escalate: true));

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
            var past = replayKey is null ? _account : AsOf(replayKey);
            foreach (var symbol in past.Positions.Keys)
            {
                await EnsureMarket(symbol);
            }

            foreach (var symbol in _account.Positions.Keys)
            {
                // A client retrying after a failed registration repairs it.
                await GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
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

        var withCoordinator = _escalated.Values.Distinct().ToList();
        await Evaluate(escalate: true);
        await TellCoordinator(withCoordinator);
        return CommandResult<T>.Ok(view(_account));
    }

    /// <summary>The account as it stood right before the command with <paramref name="commandKey"/>.</summary>
    private Account AsOfBefore(string commandKey)
    {
        var account = new Account(Id);
        foreach (var stored in _events)
        {
            var accountEvent = (AccountEvent)stored.Event;
            if (accountEvent.CommandKey == commandKey)
            {
                break;
            }

            account.Apply(accountEvent);
        }

        return account;
    }

    /// <summary>The account as it stood right after the command with <paramref name="commandKey"/>.</summary>
    private Account AsOf(string commandKey)
    {
        var account = new Account(Id);
        foreach (var stored in _events)
        {
            var accountEvent = (AccountEvent)stored.Event;
            account.Apply(accountEvent);
            if (accountEvent.CommandKey == commandKey)
            {
                break;
            }
        }

        return account;
    }

    private async Task Commit(AccountEvent accountEvent)
    {
        var held = _account.Positions.Keys.ToHashSet(StringComparer.Ordinal);
        var stored = new StoredEvent(accountEvent, _clock.GetUtcNow());
        try
        {
            await _log.Append(Stream, _account.Version, [stored]);
        }
        catch (Exception error) when (error is EventLogConflictException or EventLogUnavailableException)
        {
            // Another activation appended, or the append's outcome is unknown: this state may be behind the
            // log. Drop it; the next call reloads from the log, and a retry with the same id is then a replay.
            DeactivateOnIdle();
            throw;
        }

        _account.Apply(accountEvent);
        _events.Add(stored);
        CountIfExists();
        foreach (var symbol in _account.Positions.Keys.Where(s => !held.Contains(s)))
        {
            await GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
        }

        foreach (var symbol in held.Where(s => !_account.Positions.ContainsKey(s)))
        {
            await GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Leave(Id);
        }
    }

    private async ValueTask<Domain.Markets.MarketDefinition> EnsureMarket(string symbol, long version = 0)
    {
        if (!_markets.Has(symbol, Math.Max(1, version)))
        {
            _markets.SetDefinition(await _directory.Definition(symbol, version));

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
        AccountViews.Margin(account.Report(_markets, _thresholds), account.Version, _clock.GetUtcNow(), new Dictionary<string, int>(), MarkOf);

    private AccountMarginView MarginView(IReadOnlyDictionary<string, int> quantiles) =>
        AccountViews.Margin(_account.Report(_markets, _thresholds), _account.Version, _clock.GetUtcNow(), quantiles, MarkOf);

    private (long Sequence, bool Stale) MarkOf(string symbol) => (_markets.MarkOf(symbol)?.Sequence ?? 0, _markets.IsStale(symbol, _clock.GetUtcNow()));

    private PositionView PositionOf(Account account, string symbol)
    {
        var report = account.Report(_markets, _thresholds).Positions.FirstOrDefault(p => p.Symbol == symbol);
        return report is null
            ? AccountViews.Flat(symbol, account.SettingsFor(_markets.Market(symbol)))
            : AccountViews.Position(report, null, MarkOf(symbol));
    }

    private static MarginMode ParseMode(string marginMode) => marginMode switch
    {
        "cross" => MarginMode.Cross,
        "isolated" => MarginMode.Isolated,
        _ => throw new DomainException(ErrorCodes.InvalidArgument, $"A margin mode is 'cross' or 'isolated' (was '{marginMode}')."),
    };

    private static Side ParseSide(string side) => side switch
    {
        "buy" => Side.Buy,
        "sell" => Side.Sell,
        _ => throw new DomainException(ErrorCodes.InvalidArgument, $"A side is 'buy' or 'sell' (was '{side}')."),
    };

    private static bool InScope(Position position, MarginScope scope) =>
        scope.Symbol is { } symbol ? position.Symbol == symbol : !position.IsIsolated && position.SettleAsset == scope.Asset;
}
