using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// One partition of the liquidation coordinator. Each liquidation is a persisted state machine:
/// partial step, full step (auto-deleveraging what the fund cannot cover, the rest through the executor),
/// then the waterfall. Every trade is planned and persisted before it is sent, and every call it makes is
/// idempotent by operation and step, so a coordinator that dies mid-way resumes (on reactivation or its
/// reminder) and re-sends exactly the same commands.
/// </summary>
public sealed class LiquidationCoordinatorGrain : Grain, ILiquidationCoordinatorGrain, IRemindable
{
    private const string ResumeReminder = "resume";
    private const int RecordsKept = 2_000;
    private readonly IPersistentState<CoordinatorState> _state;
    private readonly ILiquidationExecutor _executor;
    private readonly MarketDirectory _directory;
    private readonly TimeProvider _clock;
    private readonly ILogger<LiquidationCoordinatorGrain> _logger;
    private Task _running = Task.CompletedTask;
    private bool _again;
    private IGrainTimer? _retry;

    public LiquidationCoordinatorGrain(
        [PersistentState("coordinator", StreamNames.Storage)] IPersistentState<CoordinatorState> state,
        ILiquidationExecutor executor,
        MarketDirectory directory,
        TimeProvider clock,
        ILogger<LiquidationCoordinatorGrain> logger)
    {
        _state = state;
        _executor = executor;
        _directory = directory;
        _clock = clock;
        _logger = logger;
    }

    private CoordinatorState State => _state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A reminder brings a partition back after its silo died, so running liquidations finish.
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        if (State.Work.Count > 0)
        {
            Kick();
        }
    }

    public async Task<string> Escalate(BreachReport breach)
    {
        ArgumentNullException.ThrowIfNull(breach);
        // The same breach, or any breach of a scope already being liquidated, starts nothing new. A breach id
        // whose liquidation has ended (cancelled on a bounce, recovered) is a new episode of that scope.
        if (State.Breaches.TryGetValue(breach.BreachId, out var known) && State.Work.ContainsKey(known))
        {
            return known;
        }

        var scopeKey = ScopeKeyOf(breach);
        if (State.ActiveScopes.TryGetValue(scopeKey, out var active))
        {
            State.Breaches[breach.BreachId] = active;
            return active;
        }

        using var activity = GridTracing.Source.StartActivity("liquidation.escalate");
        activity?.SetTag("scope", breach.Scope.ToString());
        var id = $"L{this.GetPrimaryKeyLong()}-{++State.Next}";
        State.Records[id] = new LiquidationRecord(id, breach, "running", [], 0m, 0m, 0m, 0m, _clock.GetUtcNow(), null,
            activity?.TraceId.ToString(), State.Next);
        State.Breaches[breach.BreachId] = id;
        State.ActiveScopes[scopeKey] = id;
        State.Work[id] = new LiquidationWork();
        await _state.WriteStateAsync();
        GridMetrics.BreachDetected(_clock.GetUtcNow() - breach.DetectedAt);
        Kick();
        return id;
    }

    public Task<LiquidationRecord?> Get(string liquidationId) => Task.FromResult(Current(liquidationId));

    public Task<ImmutableArray<LiquidationRecord>> List(string? symbol, string? accountId, int limit) =>
        Task.FromResult<ImmutableArray<LiquidationRecord>>([.. State.Records.Keys
            .Select(id => Current(id)!)
            .Where(r => accountId is null || r.Breach.AccountId == accountId)
            .Where(r => symbol is null || r.Breach.Marks.Any(m => m.Symbol == symbol))
            .OrderBy(r => r.Sequence)
            .TakeLast(limit)]);

    public Task<int> Resume()
    {
        // Not awaited: this request must not hold the partition while its liquidations call accounts that may
        // be escalating to it.
        Kick();
        return Task.FromResult(State.Work.Count);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Kick();
        return Task.CompletedTask;
    }

    private void Kick()
    {
        if (_running.IsCompleted)
        {
            _running = RunAll();
        }
        else
        {
            _again = true;
        }
    }

    private async Task RunAll()
    {
        do
        {
            _again = false;
            foreach (var id in State.Work.Keys.ToList())
            {
                try
                {
                    await Advance(id);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _logger.LogWarning(error, "Liquidation {Liquidation} paused; it resumes on the next attempt", id);
                }
            }
        }
        while (_again);

        if (State.Work.Count > 0)
        {
            // Blocked work (a stale mark, an unreachable account) is retried soon rather than at the next reminder.
            _retry?.Dispose();
            _retry = this.RegisterGrainTimer(_ => { Kick(); return Task.CompletedTask; },
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        }
    }

    private async Task Advance(string id)
    {
        var work = State.Work[id];
        var breach = State.Records[id].Breach;
        var account = GrainFactory.GetGrain<IAccountGrain>(breach.AccountId);
        var scope = breach.Scope;
        while (State.Work.ContainsKey(id))
        {
            switch (work.Stage)
            {
                case LiquidationStage.Start:
                    var start = await account.GetScope(scope);
                    if (!start.InBreach)
                    {
                        await Finish(id, "cancelled", null);
                        return;
                    }

                    if (start.Stale)
                    {
                        return;
                    }

                    await Move(work, LiquidationStage.Partial);
                    break;

                case LiquidationStage.Partial or LiquidationStage.Full when (await account.GetScope(scope)).Stale:
                    // No one is liquidated on a stale price: wait for a fresh mark, at every stage.
                    return;

                case LiquidationStage.Partial:
                    if (work.Partial is null && !(await account.GetScope(scope)).InBreach)
                    {
                        await Finish(id, "cancelled", null);
                        return;
                    }

                    if (await RunPartial(id, work, account, scope))
                    {
                        await Finish(id, "recovered", null);
                        return;
                    }

                    await Move(work, LiquidationStage.Full);
                    break;

                case LiquidationStage.Full:
                    if (!work.AdlPlanned && !(await account.GetScope(scope)).InBreach)
                    {
                        // The partial step, or the market, restored the scope before anything was closed.
                        await Finish(id, work.Partial?.Done == true ? "recovered" : "cancelled", null);
                        return;
                    }

                    await RunFull(id, work, account, breach);
                    await Move(work, LiquidationStage.Waterfall);
                    break;

                case LiquidationStage.Waterfall:
                    await RunWaterfall(id, work, account, breach);
                    return;

                default:
                    return;
            }
        }
    }

    /// <summary>The partial step; true when it restored the scope.</summary>
    private async Task<bool> RunPartial(string id, LiquidationWork work, IAccountGrain account, ScopeKey scope)
    {
        if (work.Partial is null)
        {
            var plan = await account.PlanPartial(scope);
            if (plan is null)
            {
                return false;
            }

            var size = (await account.GetScope(scope)).Positions.Single(p => p.Symbol == plan.Symbol).Size;
            work.Partial = new PlannedTrade { Kind = "partial", Symbol = plan.Symbol, Quantity = plan.Quantity, Side = Math.Sign(size) };
            await _state.WriteStateAsync();
        }

        var trade = work.Partial;
        if (!trade.Done)
        {
            await Send(id, work, trade, account, scope, step: "partial");
        }

        return !(await account.GetScope(scope)).InBreach;
    }

    private async Task RunFull(string id, LiquidationWork work, IAccountGrain account, BreachReport breach)
    {
        var scope = breach.Scope;
        if (!work.AdlPlanned)
        {
            await PlanAdl(id, work, account, breach);
        }

        await RunAdl(id, work, account, breach);
        if (work.Trades.All(t => t.Done))
        {
            // What ADL did not take is closed through the executor, from the scope's actual positions.
            var state = await account.GetScope(scope);
            foreach (var p in state.Positions)
            {
                work.SettlementSymbol ??= p.Symbol;
                work.Trades.Add(new PlannedTrade { Kind = "full", Symbol = p.Symbol, Quantity = Math.Abs(p.Size), Side = Math.Sign(p.Size) });
            }

            await _state.WriteStateAsync();
        }

        for (var i = 0; i < work.Trades.Count; i++)
        {
            var trade = work.Trades[i];
            if (!trade.Done && trade.Kind == "full")
            {
                await Send(id, work, trade, account, scope, step: $"full:{trade.Symbol}:{i}");
            }
        }
    }

    /// <summary>Sizes auto-deleveraging from the executor's quotes and the fund's balance, and ranks the counterparties.</summary>
    private async Task PlanAdl(string id, LiquidationWork work, IAccountGrain account, BreachReport breach)
    {
        var state = await account.GetScope(breach.Scope);
        var closing = new List<ClosingPosition>();
        foreach (var p in state.Positions)
        {
            var market = await _directory.Definition(p.Symbol);
            var price = await _executor.Quote(p.Symbol, CloseSide(p.Size), Math.Abs(p.Size));
            closing.Add(new ClosingPosition(market, ToPosition(p, market, breach.Scope), price));
        }

        work.SettlementSymbol ??= closing.OrderByDescending(c => ContractMath.Notional(c.Market, c.Position.Quantity, c.ClosePrice))
            .Select(c => c.Position.Symbol).FirstOrDefault();
        // Set aside what this liquidation expects the fund to pay; ADL covers the rest. Concurrent
        // liquidations then never all count on the same money.
        var expected = Math.Max(0m, -LiquidationPlanner.ExpectedRemaining(closing, state.Balance));
        var reserved = await GrainFactory.GetGrain<IInsuranceFundGrain>(breach.Scope.Asset).Reserve(id, expected);
        if (closing.Count > 0 && LiquidationPlanner.PlanAdl(closing, state.Balance, reserved) is { } adl)
        {
            work.AdlSymbol = adl.Symbol;
            work.AdlPrice = adl.BankruptcyPrice;
            work.AdlRemaining = adl.Quantity;
            work.AdlSide = -Math.Sign(closing.Single(c => c.Position.Symbol == adl.Symbol).Position.Size);
            work.AdlCandidates = [.. (await Candidates(adl.Symbol, work.AdlSide, breach.AccountId)).Select(c => c.AccountId)];
        }

        work.AdlPlanned = true;
        await _state.WriteStateAsync();
    }

    /// <summary>
    /// Closes the planned quantity against counterparties in rank order at the bankruptcy price. Each
    /// counterparty's size is read just before its match (shard reports can lag), and each match is
    /// persisted before it is sent, so a resumed liquidation re-sends the same command.
    /// </summary>
    private async Task RunAdl(string id, LiquidationWork work, IAccountGrain account, BreachReport breach)
    {
        foreach (var pending in work.Trades.Where(t => t.Kind == "adl" && !t.Done).ToList())
        {
            await Match(id, work, pending, account, breach);
        }

        while (work.AdlSymbol is { } symbol && work.AdlRemaining > 0m && work.AdlNext < work.AdlCandidates.Count)
        {
            var counterparty = work.AdlCandidates[work.AdlNext++];
            var theirs = await GrainFactory.GetGrain<IAccountGrain>(counterparty).GetSize(symbol);
            var ours = Math.Abs((await account.GetScope(breach.Scope)).Positions.SingleOrDefault(p => p.Symbol == symbol)?.Size ?? 0m);
            var take = Math.Sign(theirs) == work.AdlSide ? Math.Min(Math.Min(work.AdlRemaining, Math.Abs(theirs)), ours) : 0m;
            if (take <= 0m)
            {
                await _state.WriteStateAsync();
                continue;
            }

            var trade = new PlannedTrade { Kind = "adl", Symbol = symbol, Quantity = take, Price = work.AdlPrice, Counterparty = counterparty };
            work.Trades.Add(trade);
            work.AdlRemaining -= take;
            await _state.WriteStateAsync();
            await Match(id, work, trade, account, breach);
        }
    }

    private async Task Match(string id, LiquidationWork work, PlannedTrade trade, IAccountGrain account, BreachReport breach)
    {
        if (!await Deleverage(id, work, trade, account, breach))
        {
            trade.Done = true;
            work.AdlRemaining += trade.Quantity;
            await _state.WriteStateAsync();
        }
    }

    private async Task<bool> Deleverage(string id, LiquidationWork work, PlannedTrade trade, IAccountGrain account, BreachReport breach)
    {
        var result = await GrainFactory.GetGrain<IAccountGrain>(trade.Counterparty!).Deleverage($"{id}:{breach.AccountId}", trade.Symbol, trade.Quantity, trade.Price!.Value);
        if (!result.Succeeded)
        {
            _logger.LogInformation("ADL of {Counterparty} in {Liquidation} refused: {Reason}", trade.Counterparty, id, result.Error!.Detail);
            return false;
        }

        await account.ApplyLiquidationTrade(id, $"adl:{trade.Counterparty}", breach.Scope, trade.Symbol, trade.Quantity, trade.Price!.Value, deleveraged: true);
        trade.Done = true;
        work.Steps.Add(new LiquidationStep("adl", trade.Symbol, trade.Quantity, trade.Price.Value, 0m, trade.Counterparty, _clock.GetUtcNow()));
        GridMetrics.LiquidationStep(trade.Symbol, "adl");
        await _state.WriteStateAsync();
        return true;
    }

    /// <summary>
    /// Sends a planned trade: through the executor once (its fill is persisted), then to the account, whose
    /// replay of the same step is harmless. The position is not read again on a resend: it may be gone.
    /// </summary>
    private async Task Send(string id, LiquidationWork work, PlannedTrade trade, IAccountGrain account, ScopeKey scope, string step)
    {
        if (trade.Price is null)
        {
            trade.Price = await _executor.Execute(new LiquidationOrder($"{id}:{step}", trade.Symbol, CloseSide(trade.Side), trade.Quantity));
            await _state.WriteStateAsync();
        }

        await account.ApplyLiquidationTrade(id, step, scope, trade.Symbol, trade.Quantity, trade.Price.Value, deleveraged: false);
        var market = await _directory.Definition(trade.Symbol);
        if (trade.Kind == "full")
        {
            work.FeeCharge += market.LiquidationFeeRate * ContractMath.Notional(market, trade.Quantity, trade.Price.Value);
        }

        trade.Done = true;
        work.Steps.Add(new LiquidationStep(trade.Kind, trade.Symbol, trade.Quantity, trade.Price.Value, 0m, null, _clock.GetUtcNow()));
        GridMetrics.LiquidationStep(trade.Symbol, trade.Kind);
        await _state.WriteStateAsync();
    }

    private async Task RunWaterfall(string id, LiquidationWork work, IAccountGrain account, BreachReport breach)
    {
        var scope = breach.Scope;
        var state = await account.GetScope(scope);
        if (!state.Positions.IsEmpty && work.Settlement is null)
        {
            // A fill reopened the scope while it was being closed: close that too before settling.
            await Move(work, LiquidationStage.Full);
            return;
        }

        var fund = GrainFactory.GetGrain<IInsuranceFundGrain>(scope.Asset);
        if (work.FundPayout == 0m)
        {
            // Always asked, even for nothing: a payout of 0 releases what this liquidation had set aside.
            work.FundPayout = await fund.Payout(id, breach.AccountId, scope, Math.Max(0m, -state.Balance));
            await _state.WriteStateAsync();
        }

        if (work.FundPayout > 0m)
        {
            await account.ApplyInsurancePayout(id, scope, work.FundPayout);
        }

        var symbol = work.SettlementSymbol ?? breach.Marks[0].Symbol;
        if (work.Settlement is null)
        {
            work.Settlement = await account.SettleLiquidation(id, scope, symbol, work.FeeCharge);
            await _state.WriteStateAsync();
        }

        var settlement = work.Settlement;
        await fund.RecordFee(id, breach.AccountId, settlement.Fee);
        var now = _clock.GetUtcNow();
        if (work.FundPayout > 0m)
        {
            work.Steps.Add(new LiquidationStep("fund-payout", null, 0m, 0m, work.FundPayout, null, now));
        }

        if (settlement.Fee > 0m)
        {
            work.Steps.Add(new LiquidationStep("fee", null, 0m, 0m, settlement.Fee, null, now));
        }

        if (settlement.Deficit > 0m)
        {
            work.Steps.Add(new LiquidationStep("deficit", symbol, 0m, 0m, settlement.Deficit, null, now));
            await GrainFactory.GetGrain<IMarketGrain>(symbol).RecordDeficit(id, settlement.Deficit);
            GridMetrics.Deficit(symbol);
        }

        await Finish(id, "closed", settlement);
    }

    private async Task Finish(string id, string status, SettlementView? settlement)
    {
        var work = State.Work[id];
        var record = State.Records[id] with
        {
            Status = status,
            Steps = [.. work.Steps],
            Fee = settlement?.Fee ?? 0m,
            FundPayout = work.FundPayout,
            Deficit = settlement?.Deficit ?? 0m,
            TraderKeeps = settlement?.TraderKeeps ?? 0m,
            EndedAt = _clock.GetUtcNow(),
        };
        State.Records[id] = record;
        State.Work.Remove(id);
        State.ActiveScopes.Remove(ScopeKeyOf(record.Breach));
        foreach (var breachId in State.Breaches.Where(b => b.Value == id).Select(b => b.Key).ToList())
        {
            State.Breaches.Remove(breachId);
        }

        // The partition's state is rewritten on every step: keep it bounded. The audit projection keeps the
        // all-time totals; a durable record store is the durable cluster's job (issue 4).
        while (State.Records.Count > RecordsKept)
        {
            var oldest = State.Records.Values.Where(r => !State.Work.ContainsKey(r.LiquidationId)).MinBy(r => r.Sequence);
            if (oldest is null)
            {
                break;
            }

            State.Records.Remove(oldest.LiquidationId);
        }

        await _state.WriteStateAsync();
        GridMetrics.LiquidationEnded(status, _clock.GetUtcNow() - record.StartedAt);
        try
        {
            await this.GetStreamProvider(StreamNames.Provider)
                .GetStream<LiquidationRecord>(StreamId.Create(StreamNames.Liquidations, "all")).OnNextAsync(record);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Publishing liquidation {Liquidation} failed; its record is kept", id);
        }
    }

    private async Task<IReadOnlyList<AdlCandidate>> Candidates(string symbol, int side, string exclude)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, MarketShards.Count)
            .Select(k => GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.Key(symbol, k)).AdlCandidates(side, 32)));
        return AdlRanking.Rank(shards.SelectMany(s => s)
            .Where(c => c.AccountId != exclude)
            .Select(c => new AdlCandidate(c.AccountId, Math.Abs(c.Size), c.Score)));
    }

    private Task Move(LiquidationWork work, LiquidationStage stage)
    {
        work.Stage = stage;
        return _state.WriteStateAsync();
    }

    private LiquidationRecord? Current(string id) =>
        State.Records.TryGetValue(id, out var record)
            ? State.Work.TryGetValue(id, out var work) ? record with { Steps = [.. work.Steps] } : record
            : null;

    private static Position ToPosition(ScopePosition p, MarketDefinition market, ScopeKey scope) =>
        new(p.Symbol, market.SettleAsset, scope.Symbol is null ? MarginMode.Cross : MarginMode.Isolated, 1, p.Size, p.EntryPrice, 0m);

    private static Side CloseSide(decimal size) => size > 0m ? Side.Sell : Side.Buy;

    private static Side CloseSide(int sign) => sign > 0 ? Side.Sell : Side.Buy;

    private static string ScopeKeyOf(BreachReport breach) => $"{breach.AccountId}|{breach.Scope}";
}
