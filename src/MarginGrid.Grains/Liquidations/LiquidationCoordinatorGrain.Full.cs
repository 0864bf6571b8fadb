using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The full step: auto-deleveraging what the fund cannot cover, then the executor.</summary>
public sealed partial class LiquidationCoordinatorGrain
{
    private async Task RunFull(string id, LiquidationWork work, IAccountLiquidation account, BreachReport breach)
    {
        var scope = breach.Scope;
        if (!work.AdlPlanned)
        {
            await PlanAdl(id, work, account, breach);
        }

        await RunAdl(id, work, account, breach);
        if (work.Trades.All(t => t.Done))
        {
            // What ADL did not take is closed through the executor, from the scope's positions as the last step returned them.
            var state = await Judged(work, account, breach);
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
    private async Task PlanAdl(string id, LiquidationWork work, IAccountLiquidation account, BreachReport breach)
    {
        var state = await Judged(work, account, breach);
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
            GridMetrics.AdlNeeded(adl.Symbol);
        }

        work.AdlPlanned = true;
        await _state.WriteStateAsync();
    }

    /// <summary>
    /// Closes the planned quantity against counterparties in rank order at the bankruptcy price. A counterparty
    /// takes what it still holds, up to the match (its answer says how much), so nothing is read beforehand; each
    /// match is persisted before it is sent, so a resumed liquidation re-sends the same command.
    /// </summary>
    private async Task RunAdl(string id, LiquidationWork work, IAccountLiquidation account, BreachReport breach)
    {
        foreach (var pending in work.Trades.Where(t => t.Kind == "adl" && !t.Done).ToList())
        {
            await Match(id, work, pending, account, breach);
        }

        while (work.AdlSymbol is { } symbol && work.AdlRemaining > 0m && work.AdlNext < work.AdlCandidates.Count)
        {
            var counterparty = work.AdlCandidates[work.AdlNext++];
            var ours = Math.Abs(work.Scope?.Positions.SingleOrDefault(p => p.Symbol == symbol)?.Size ?? 0m);
            var take = Math.Min(work.AdlRemaining, ours);
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

    private async Task Match(string id, LiquidationWork work, PlannedTrade trade, IAccountLiquidation account, BreachReport breach)
    {
        if (!await Deleverage(id, work, trade, account, breach))
        {
            trade.Done = true;
            work.AdlRemaining += trade.Quantity;
            await _state.WriteStateAsync();
        }
    }

    /// <summary>
    /// One ADL match: the counterparty takes what it still holds (up to the planned quantity), and exactly that
    /// is applied to the liquidated position. False when it took nothing; what it did not take is planned again.
    /// </summary>
    private async Task<bool> Deleverage(string id, LiquidationWork work, PlannedTrade trade, IAccountLiquidation account, BreachReport breach)
    {
        var result = await GrainFactory.GetGrain<IAccountLiquidation>(trade.Counterparty!)
            .Deleverage($"{id}:{breach.AccountId}", trade.Symbol, trade.Quantity, trade.Price!.Value, Accounts.ContractEnums.ToContract(work.AdlSide));
        if (!result.Succeeded || result.Value <= 0m)
        {
            _logger.LogInformation("ADL of {Counterparty} in {Liquidation} took nothing: {Reason}", trade.Counterparty, id, result.Error?.Detail ?? "no position left");
            return false;
        }

        if (result.Value < trade.Quantity)
        {
            work.AdlRemaining += trade.Quantity - result.Value;
            trade.Quantity = result.Value;
            await _state.WriteStateAsync();
        }

        TakeNewer(work, await account.ApplyLiquidationTrade(id, $"adl:{trade.Counterparty}", breach.Scope, trade.Symbol, trade.Quantity, trade.Price!.Value, deleveraged: true));
        trade.Done = true;
        work.Steps.Add(new LiquidationStep("adl", trade.Symbol, trade.Quantity, trade.Price.Value, 0m, trade.Counterparty, _clock.GetUtcNow()));
        var adlMarket = await _directory.Definition(trade.Symbol);
        GridMetrics.LiquidationStep(trade.Symbol, "adl", ContractMath.Notional(adlMarket, trade.Quantity, trade.Price.Value), adlMarket.SettleAsset);
        await _state.WriteStateAsync();
        return true;
    }

    /// <summary>
    /// Sends a planned trade: through the executor once (its fill is persisted), then to the account, whose
    /// replay of the same step is harmless. The position is not read again on a resend: it may be gone.
    /// </summary>
    private async Task Send(string id, LiquidationWork work, PlannedTrade trade, IAccountLiquidation account, ScopeKey scope, string step)
    {
        if (trade.Price is null)
        {
            trade.Price = await _executor.Execute(new LiquidationOrder($"{id}:{step}", trade.Symbol, CloseSide(trade.Side), trade.Quantity));
            await _state.WriteStateAsync();
        }

        TakeNewer(work, await account.ApplyLiquidationTrade(id, step, scope, trade.Symbol, trade.Quantity, trade.Price.Value, deleveraged: false));
        var market = await _directory.Definition(trade.Symbol);
        if (trade.Kind == "full")
        {
            work.FeeCharge += market.LiquidationFeeRate * ContractMath.Notional(market, trade.Quantity, trade.Price.Value);
        }

        trade.Done = true;
        work.Steps.Add(new LiquidationStep(trade.Kind, trade.Symbol, trade.Quantity, trade.Price.Value, 0m, null, _clock.GetUtcNow()));
        GridMetrics.LiquidationStep(trade.Symbol, trade.Kind, ContractMath.Notional(market, trade.Quantity, trade.Price.Value), market.SettleAsset);
        await _state.WriteStateAsync();
    }

    private async Task<IReadOnlyList<AdlCandidate>> Candidates(string symbol, int side, string exclude)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, MarketShards.Count)
            .Select(k => GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.Key(symbol, k)).AdlCandidates(side, 32)));
        return AdlRanking.Rank(shards.SelectMany(s => s)
            .Where(c => c.AccountId != exclude)
            .Select(c => new AdlCandidate(c.AccountId, Math.Abs(c.Size), c.Score)));
    }
}
