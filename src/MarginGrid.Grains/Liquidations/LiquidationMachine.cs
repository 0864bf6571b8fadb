using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// The stages of one liquidation: start, partial step, full step (auto-deleveraging what the fund cannot
/// cover, the rest through the executor), then the waterfall. Every trade is planned and saved before it is
/// sent, and every call is idempotent by operation and step, so a machine rebuilt from the saved
/// <see cref="LiquidationWork"/> (after its coordinator died) re-sends exactly the same commands.
/// Plain code: it asks <see cref="ILiquidationSteps"/> for every effect and keeps no state of its own.
/// </summary>
public sealed class LiquidationMachine
{
    private readonly string _id;
    private readonly BreachReport _breach;
    private readonly LiquidationWork _work;
    private readonly ILiquidationSteps _steps;

    public LiquidationMachine(string id, BreachReport breach, LiquidationWork work, ILiquidationSteps steps)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(breach);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(steps);
        _id = id;
        _breach = breach;
        _work = work;
        _steps = steps;
    }

    private ScopeKey Scope => _breach.Scope;

    private string AccountId => _breach.AccountId;

    /// <summary>
    /// Runs stages until the liquidation ends (its end is returned) or must wait (null: a stale mark, or
    /// <paramref name="stopping"/>); the next call takes up where this one stopped.
    /// </summary>
    public async Task<LiquidationEnd?> Advance(Func<bool> stopping)
    {
        ArgumentNullException.ThrowIfNull(stopping);
        while (!stopping())
        {
            switch (_work.Stage)
            {
                case LiquidationStage.Start:
                    var start = await Judged();
                    if (!start.InBreach)
                    {
                        return new LiquidationEnd("cancelled", null);
                    }

                    if (start.Stale)
                    {
                        // No one is liquidated on a stale price: wait for a fresh mark, at every stage.
                        return null;
                    }

                    await Move(LiquidationStage.Partial);
                    break;

                case LiquidationStage.Partial:
                    switch (await RunPartial())
                    {
                        case PartialOutcome.Waiting:
                            return null;
                        case PartialOutcome.NotInBreach:
                            return new LiquidationEnd("cancelled", null);
                        case PartialOutcome.Recovered:
                            return new LiquidationEnd("recovered", null);
                        default:
                            await Move(LiquidationStage.Full);
                            break;
                    }

                    break;

                case LiquidationStage.Full:
                    var full = await Judged();
                    if (full.Stale)
                    {
                        return null;
                    }

                    if (!_work.AdlPlanned && !full.InBreach)
                    {
                        // The partial step, or the market, restored the scope before anything was closed.
                        return new LiquidationEnd(_work.Partial?.Done == true ? "recovered" : "cancelled", null);
                    }

                    await RunFull();
                    await Move(LiquidationStage.Waterfall);
                    break;

                case LiquidationStage.Waterfall:
                    return await RunWaterfall();

                default:
                    return null;
            }
        }

        return null;
    }

    private async Task<PartialOutcome> RunPartial()
    {
        if (_work.Partial is null)
        {
            var step = await _steps.PlanPartial(AccountId, Scope);
            _work.TakeNewer(step.Scope);
            var judged = await _steps.Judge(step.Scope);
            if (judged.Stale)
            {
                return PartialOutcome.Waiting;
            }

            if (!judged.InBreach)
            {
                return PartialOutcome.NotInBreach;
            }

            if (step.Plan is not { } plan)
            {
                return PartialOutcome.StillInBreach;
            }

            var size = step.Scope.Positions.Single(p => p.Symbol == plan.Symbol).Size;
            _work.Partial = new PlannedTrade { Kind = "partial", Symbol = plan.Symbol, Quantity = plan.Quantity, Side = Math.Sign(size) };
            await _steps.Save(_id);
        }

        var trade = _work.Partial;
        if (!trade.Done && (await Judged()).Stale)
        {
            return PartialOutcome.Waiting;
        }

        if (!trade.Done)
        {
            await Send(trade, step: "partial");
        }

        return (await Judged()).InBreach ? PartialOutcome.StillInBreach : PartialOutcome.Recovered;
    }

    private async Task RunFull()
    {
        if (!_work.AdlPlanned)
        {
            await PlanAdl();
        }

        await RunAdl();
        if (_work.Trades.All(t => t.Done))
        {
            // What ADL did not take is closed through the executor, from the scope's positions as the last step returned them.
            var state = await Judged();
            foreach (var p in state.Positions)
            {
                _work.SettlementSymbol ??= p.Symbol;
                _work.Trades.Add(new PlannedTrade { Kind = "full", Symbol = p.Symbol, Quantity = Math.Abs(p.Size), Side = Math.Sign(p.Size) });
            }

            await _steps.Save(_id);
        }

        for (var i = 0; i < _work.Trades.Count; i++)
        {
            var trade = _work.Trades[i];
            if (!trade.Done && trade.Kind == "full")
            {
                await Send(trade, step: $"full:{trade.Symbol}:{i}");
            }
        }
    }

    /// <summary>Sizes auto-deleveraging from the executor's quotes and the fund's balance, and ranks the counterparties.</summary>
    private async Task PlanAdl()
    {
        var state = await Judged();
        var closing = new List<ClosingPosition>();
        foreach (var p in state.Positions)
        {
            var market = await _steps.Definition(p.Symbol);
            var price = await _steps.Quote(p.Symbol, CloseSide(p.Size), Math.Abs(p.Size));
            closing.Add(new ClosingPosition(market, ToPosition(p, market), price));
        }

        _work.SettlementSymbol ??= closing.OrderByDescending(c => ContractMath.Notional(c.Market, c.Position.Quantity, c.ClosePrice))
            .Select(c => c.Position.Symbol).FirstOrDefault();

        // Set aside what this liquidation expects the fund to pay; ADL covers the rest. Concurrent
        // liquidations then never all count on the same money.
        var expected = Math.Max(0m, -LiquidationPlanner.ExpectedRemaining(closing, state.Balance));
        var reserved = await _steps.Reserve(Scope.Asset, _id, expected);
        if (closing.Count > 0 && LiquidationPlanner.PlanAdl(closing, state.Balance, reserved) is { } adl)
        {
            _work.AdlSymbol = adl.Symbol;
            _work.AdlPrice = adl.BankruptcyPrice;
            _work.AdlRemaining = adl.Quantity;
            _work.AdlSide = -Math.Sign(closing.Single(c => c.Position.Symbol == adl.Symbol).Position.Size);
            _work.AdlCandidates = [.. (await _steps.Candidates(adl.Symbol, _work.AdlSide, AccountId)).Select(c => c.AccountId)];
            _steps.AdlNeeded(adl.Symbol);
        }

        _work.AdlPlanned = true;
        await _steps.Save(_id);
    }

    /// <summary>
    /// Closes the planned quantity against counterparties in rank order at the bankruptcy price. A counterparty
    /// takes what it still holds, up to the match (its answer says how much), so nothing is read beforehand; each
    /// match is saved before it is sent, so a resumed liquidation re-sends the same command.
    /// </summary>
    private async Task RunAdl()
    {
        foreach (var pending in _work.Trades.Where(t => t.Kind == "adl" && !t.Done).ToList())
        {
            await Match(pending);
        }

        while (_work.AdlSymbol is { } symbol && _work.AdlRemaining > 0m && _work.AdlNext < _work.AdlCandidates.Count)
        {
            var counterparty = _work.AdlCandidates[_work.AdlNext++];
            var ours = Math.Abs(_work.Scope?.Positions.SingleOrDefault(p => p.Symbol == symbol)?.Size ?? 0m);
            var take = Math.Min(_work.AdlRemaining, ours);
            if (take <= 0m)
            {
                await _steps.Save(_id);
                continue;
            }

            var trade = new PlannedTrade { Kind = "adl", Symbol = symbol, Quantity = take, Price = _work.AdlPrice, Counterparty = counterparty };
            _work.Trades.Add(trade);
            _work.AdlRemaining -= take;
            await _steps.Save(_id);
            await Match(trade);
        }
    }

    private async Task Match(PlannedTrade trade)
    {
        if (!await Deleverage(trade))
        {
            trade.Done = true;
            _work.AdlRemaining += trade.Quantity;
            await _steps.Save(_id);
        }
    }

    /// <summary>
    /// One ADL match: the counterparty takes what it still holds (up to the planned quantity), and exactly that
    /// is applied to the liquidated position. False when it took nothing; what it did not take is planned again.
    /// </summary>
    private async Task<bool> Deleverage(PlannedTrade trade)
    {
        var result = await _steps.Deleverage(trade.Counterparty!, $"{_id}:{AccountId}", trade.Symbol, trade.Quantity, trade.Price!.Value, _work.AdlSide);
        if (!result.Succeeded || result.Value <= 0m)
        {
            _steps.AdlTookNothing(_id, trade.Counterparty!, result.Error?.Detail ?? "no position left");
            return false;
        }

        if (result.Value < trade.Quantity)
        {
            _work.AdlRemaining += trade.Quantity - result.Value;
            trade.Quantity = result.Value;
            await _steps.Save(_id);
        }

        _work.TakeNewer(await _steps.ApplyTrade(AccountId, _id, $"adl:{trade.Counterparty}", Scope, trade.Symbol, trade.Quantity, trade.Price!.Value, deleveraged: true));
        trade.Done = true;
        _work.Steps.Add(new LiquidationStep("adl", trade.Symbol, trade.Quantity, trade.Price.Value, 0m, trade.Counterparty, _steps.Now));
        var market = await _steps.Definition(trade.Symbol);
        _steps.TradeApplied(trade.Symbol, "adl", ContractMath.Notional(market, trade.Quantity, trade.Price.Value), market.SettleAsset);
        await _steps.Save(_id);
        return true;
    }

    /// <summary>
    /// Sends a planned trade: through the executor once (its fill is saved), then to the account, whose
    /// replay of the same step is harmless. The position is not read again on a resend: it may be gone.
    /// </summary>
    private async Task Send(PlannedTrade trade, string step)
    {
        if (trade.Price is null)
        {
            trade.Price = await _steps.Execute(new LiquidationOrder($"{_id}:{step}", trade.Symbol, CloseSide(trade.Side), trade.Quantity));
            await _steps.Save(_id);
        }

        _work.TakeNewer(await _steps.ApplyTrade(AccountId, _id, step, Scope, trade.Symbol, trade.Quantity, trade.Price.Value, deleveraged: false));
        var market = await _steps.Definition(trade.Symbol);
        if (trade.Kind == "full")
        {
            _work.FeeCharge += market.LiquidationFeeRate * ContractMath.Notional(market, trade.Quantity, trade.Price.Value);
        }

        trade.Done = true;
        _work.Steps.Add(new LiquidationStep(trade.Kind, trade.Symbol, trade.Quantity, trade.Price.Value, 0m, null, _steps.Now));
        _steps.TradeApplied(trade.Symbol, trade.Kind, ContractMath.Notional(market, trade.Quantity, trade.Price.Value), market.SettleAsset);
        await _steps.Save(_id);
    }

    /// <summary>The insurance fund covers what it can of a negative balance, then the scope is settled; a deficit is left to the market.</summary>
    private async Task<LiquidationEnd?> RunWaterfall()
    {
        var state = await Judged();
        if (!state.Positions.IsEmpty && _work.Settlement is null)
        {
            // A fill reopened the scope while it was being closed: close that too before settling.
            await Move(LiquidationStage.Full);
            return null;
        }

        if (_work.FundPayout == 0m)
        {
            // Always asked, even for nothing: a payout of 0 releases what this liquidation had set aside.
            _work.FundPayout = await _steps.Payout(_id, AccountId, Scope, Math.Max(0m, -state.Balance));
            await _steps.Save(_id);
        }

        if (_work.FundPayout > 0m)
        {
            _work.TakeNewer(await _steps.ApplyPayout(AccountId, _id, Scope, _work.FundPayout));
        }

        var symbol = _work.SettlementSymbol ?? _breach.Marks[0].Symbol;
        if (_work.Settlement is null)
        {
            try
            {
                _work.Settlement = await _steps.Settle(AccountId, _id, Scope, symbol, _work.FeeCharge);
            }
            catch (DomainException refused) when (refused.Code == ErrorCodes.ScopeStillOpen)
            {
                // A fill reached the account after the last scope it sent (its push to the coordinator can fail):
                // the one read back on this path, else every retry would settle on the same stale view.
                _work.TakeNewer(await _steps.ReadScope(AccountId, Scope));
                await Move(LiquidationStage.Full);
                return null;
            }

            await _steps.Save(_id);
        }

        var settlement = _work.Settlement;
        await _steps.RecordFee(Scope.Asset, _id, AccountId, settlement.Fee);
        var now = _steps.Now;
        if (_work.FundPayout > 0m)
        {
            _work.Steps.Add(new LiquidationStep("fund-payout", null, 0m, 0m, _work.FundPayout, null, now));
        }

        if (settlement.Fee > 0m)
        {
            _work.Steps.Add(new LiquidationStep("fee", null, 0m, 0m, settlement.Fee, null, now));
        }

        if (settlement.Deficit > 0m)
        {
            _work.Steps.Add(new LiquidationStep("deficit", symbol, 0m, 0m, settlement.Deficit, null, now));
            await _steps.RecordDeficit(symbol, _id, settlement.Deficit);
            _steps.DeficitLeft(symbol);
        }

        return new LiquidationEnd("closed", settlement);
    }

    /// <summary>
    /// The scope the escalation or the last step returned, judged at the newest marks (the account's copy of a
    /// mark can be older: deliveries inside a band are skipped). Read from the account only for work that has
    /// no snapshot at all.
    /// </summary>
    private async Task<ScopeState> Judged()
    {
        _work.Scope ??= await _steps.ReadScope(AccountId, Scope);
        return await _steps.Judge(_work.Scope);
    }

    private Task Move(LiquidationStage stage)
    {
        _work.Stage = stage;
        return _steps.Save(_id);
    }

    private Position ToPosition(ScopePosition p, MarketDefinition market) =>
        new(p.Symbol, market.SettleAsset, Scope.Symbol is null ? MarginMode.Cross : MarginMode.Isolated, 1, p.Size, p.EntryPrice, 0m);

    private static Side CloseSide(decimal size) => size > 0m ? Side.Sell : Side.Buy;

    private static Side CloseSide(int sign) => sign > 0 ? Side.Sell : Side.Buy;
}
