using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The waterfall and the end of a liquidation.</summary>
public sealed partial class LiquidationCoordinatorGrain
{
    private async Task RunWaterfall(string id, LiquidationWork work, IAccountLiquidation account, BreachReport breach)
    {
        var scope = breach.Scope;
        var state = await Judged(work, account, breach);
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
            TakeNewer(work, await account.ApplyInsurancePayout(id, scope, work.FundPayout));
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
        _logger.LogInformation("Liquidation {Liquidation} of {Account} ended: {Status}", id, record.Breach.AccountId, status);
        GridMetrics.BacklogChanged(-1);
        State.ActiveScopes.Remove(ScopeKeyOf(record.Breach));
        var breachIds = State.Breaches.Where(b => b.Value == id).Select(b => b.Key).ToImmutableArray();
        foreach (var breachId in breachIds)
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

        try
        {
            await GrainFactory.GetGrain<IAccountLiquidation>(record.Breach.AccountId).OnLiquidationEnded(id, breachIds);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Not fatal: the account's next activation starts with nothing pending. A live one keeps this breach
            // as pending until its level or state changes; logged so that is seen.
            _logger.LogWarning(error, "Telling {Account} that liquidation {Liquidation} ended failed", record.Breach.AccountId, id);
        }
    }
}
