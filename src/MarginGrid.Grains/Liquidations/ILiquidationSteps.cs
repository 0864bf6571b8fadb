using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// What a <see cref="LiquidationMachine"/> asks of the world: the coordinator grain performs each call (on the
/// account, the fund, the market, the executor) and hands back the answer, so the machine itself needs no
/// cluster and is tested with a fake.
/// </summary>
public interface ILiquidationSteps
{
    DateTimeOffset Now { get; }

    /// <summary>Persists this liquidation's work (with whatever else of the partition changed meanwhile).</summary>
    Task Save(string liquidationId);

    /// <summary>The snapshot judged at the newest marks this silo holds.</summary>
    ValueTask<ScopeState> Judge(ScopeState snapshot);

    /// <summary>Reads the scope from the account (only for work that holds no snapshot at all).</summary>
    Task<ScopeState> ReadScope(string accountId, ScopeKey scope);

    Task<PartialStep> PlanPartial(string accountId, ScopeKey scope);

    ValueTask<MarketDefinition> Definition(string symbol);

    Task<decimal> Quote(string symbol, Side side, decimal quantity);

    Task<decimal> Execute(LiquidationOrder order);

    /// <summary>Sets aside what the fund expects to pay for this liquidation; returns what it set aside.</summary>
    Task<decimal> Reserve(string asset, string liquidationId, decimal expected);

    /// <summary>Counterparties for auto-deleveraging, best ranked first, without <paramref name="exclude"/>.</summary>
    Task<IReadOnlyList<AdlCandidate>> Candidates(string symbol, int side, string exclude);

    Task<CommandResult<decimal>> Deleverage(string counterparty, string operationId, string symbol, decimal quantity, decimal price, int side);

    Task<ScopeState> ApplyTrade(string accountId, string liquidationId, string step, ScopeKey scope, string symbol, decimal quantity, decimal price, bool deleveraged);

    Task<decimal> Payout(string liquidationId, string accountId, ScopeKey scope, decimal requested);

    Task<ScopeState> ApplyPayout(string accountId, string liquidationId, ScopeKey scope, decimal amount);

    Task<SettlementView> Settle(string accountId, string liquidationId, ScopeKey scope, string symbol, decimal feeCharge);

    Task RecordFee(string asset, string liquidationId, string accountId, decimal amount);

    Task RecordDeficit(string symbol, string liquidationId, decimal amount);

    /// <summary>Auto-deleveraging was planned for <paramref name="symbol"/> (for the metrics).</summary>
    void AdlNeeded(string symbol);

    /// <summary>A trade of <paramref name="kind"/> was applied (for the metrics).</summary>
    void TradeApplied(string symbol, string kind, decimal notional, string asset);

    /// <summary>A deficit was left in <paramref name="symbol"/> (for the metrics).</summary>
    void DeficitLeft(string symbol);

    /// <summary>A counterparty took nothing of an ADL match (for the log).</summary>
    void AdlTookNothing(string liquidationId, string counterparty, string reason);
}
