using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Liquidations;

/// <summary>The calls a liquidation's machine asks for, performed against the cluster.</summary>
public sealed partial class LiquidationCoordinatorGrain : ILiquidationSteps
{
    DateTimeOffset ILiquidationSteps.Now => _clock.GetUtcNow();

    // Machines in flight share writes; the state is reloaded only when none is (see RunWorker).
    Task ILiquidationSteps.Save(string liquidationId)
    {
        _changed.Add(liquidationId);
        return _save.Run();
    }

    ValueTask<ScopeState> ILiquidationSteps.Judge(ScopeState snapshot) => _judge.AtNewestMarks(snapshot);

    Task<ScopeState> ILiquidationSteps.ReadScope(string accountId, ScopeKey scope) =>
        GrainFactory.Reference<IAccountLiquidation>(accountId).GetScope(scope, []);

    Task<PartialStep> ILiquidationSteps.PlanPartial(string accountId, ScopeKey scope) =>
        GrainFactory.Reference<IAccountLiquidation>(accountId).PlanPartial(scope);

    ValueTask<MarketDefinition> ILiquidationSteps.Definition(string symbol) => _directory.Definition(symbol);

    Task<decimal> ILiquidationSteps.Quote(string symbol, Side side, decimal quantity) => _executor.Quote(symbol, side, quantity);

    Task<decimal> ILiquidationSteps.Execute(LiquidationOrder order) => _executor.Execute(order);

    Task<decimal> ILiquidationSteps.Reserve(string asset, string liquidationId, decimal expected) =>
        GrainFactory.Reference<IInsuranceFundGrain>(asset).Reserve(liquidationId, expected);

    async Task<IReadOnlyList<AdlCandidate>> ILiquidationSteps.Candidates(string symbol, int side, string exclude)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, MarketShards.Count)
            .Select(k => GrainFactory.Reference<IMarketShardGrain>(MarketShards.Key(symbol, k)).AdlCandidates(side, 32)));
        return AdlRanking.Rank(shards.SelectMany(s => s)
            .Where(c => c.AccountId != exclude)
            .Select(c => new AdlCandidate(c.AccountId, Math.Abs(c.Size), c.Score)));
    }

    Task<CommandResult<decimal>> ILiquidationSteps.Deleverage(string counterparty, string operationId, string symbol, decimal quantity, decimal price, int side) =>
        GrainFactory.Reference<IAccountLiquidation>(counterparty).Deleverage(operationId, symbol, quantity, price, Accounts.ContractEnums.ToContract(side));

    Task<ScopeState> ILiquidationSteps.ApplyTrade(string accountId, string liquidationId, string step, ScopeKey scope, string symbol, decimal quantity, decimal price, bool deleveraged) =>
        GrainFactory.Reference<IAccountLiquidation>(accountId).ApplyLiquidationTrade(liquidationId, step, scope, symbol, quantity, price, deleveraged);

    Task<decimal> ILiquidationSteps.Payout(string liquidationId, string accountId, ScopeKey scope, decimal requested) =>
        GrainFactory.Reference<IInsuranceFundGrain>(scope.Asset).Payout(liquidationId, accountId, scope, requested);

    Task<ScopeState> ILiquidationSteps.ApplyPayout(string accountId, string liquidationId, ScopeKey scope, decimal amount) =>
        GrainFactory.Reference<IAccountLiquidation>(accountId).ApplyInsurancePayout(liquidationId, scope, amount);

    Task<SettlementView> ILiquidationSteps.Settle(string accountId, string liquidationId, ScopeKey scope, string symbol, decimal feeCharge) =>
        GrainFactory.Reference<IAccountLiquidation>(accountId).SettleLiquidation(liquidationId, scope, symbol, feeCharge);

    Task ILiquidationSteps.RecordFee(string asset, string liquidationId, string accountId, decimal amount) =>
        GrainFactory.Reference<IInsuranceFundGrain>(asset).RecordFee(liquidationId, accountId, amount);

    Task ILiquidationSteps.RecordDeficit(string symbol, string liquidationId, decimal amount) =>
        GrainFactory.Reference<IMarketGrain>(symbol).RecordDeficit(liquidationId, amount);

    void ILiquidationSteps.AdlNeeded(string symbol) => _metrics.AdlNeeded(symbol);

    void ILiquidationSteps.TradeApplied(string symbol, string kind, decimal notional, string asset) =>
        _metrics.LiquidationStep(symbol, kind, notional, asset);

    void ILiquidationSteps.DeficitLeft(string symbol) => _metrics.Deficit(symbol);

    void ILiquidationSteps.AdlTookNothing(string liquidationId, string counterparty, string reason) =>
        _logger.LogInformation("ADL of {Counterparty} in {Liquidation} took nothing: {Reason}", counterparty, liquidationId, reason);
}
