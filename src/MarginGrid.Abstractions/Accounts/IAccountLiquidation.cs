using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// The account (key: account id) as its liquidation coordinator sees it: the scope's state and the steps of a
/// liquidation. Each call is idempotent by operation and step. The same grain as <see cref="IAccountGrain"/>.
/// </summary>
public interface IAccountLiquidation : IGrainWithStringKey
{
    /// <summary>
    /// The scope now: its positions, balance and whether it is still in breach, judged at marks no older than
    /// <paramref name="marks"/> (the coordinator passes the markets' own newest; marks of markets the account
    /// does not hold are ignored).
    /// </summary>
    Task<ScopeState> GetScope(ScopeKey scope, ImmutableArray<MarkUpdate> marks);

    /// <summary>
    /// A liquidation of this account ended: its breaches are no longer pending, so a scope still (or again) in
    /// breach is escalated anew instead of being taken as already with the coordinator.
    /// </summary>
    Task OnLiquidationEnded(string liquidationId, ImmutableArray<string> breachIds);

    /// <summary>The partial step the rules ask for in this scope now, if any, with the scope at the silo's newest marks.</summary>
    Task<PartialStep> PlanPartial(ScopeKey scope);

    /// <summary>Reduces a position by a liquidation trade; its PnL stays in the scope until the waterfall.</summary>
    Task<ScopeState> ApplyLiquidationTrade(string operationId, string step, ScopeKey scope, string symbol, decimal quantity, decimal price, bool deleveraged);

    /// <summary>Credits a payout the insurance fund decided; returns the scope after it.</summary>
    Task<ScopeState> ApplyInsurancePayout(string operationId, ScopeKey scope, decimal amount);

    /// <summary>The waterfall of a closed scope: fee, deficit cover, what the trader keeps.</summary>
    Task<SettlementView> SettleLiquidation(string operationId, ScopeKey scope, string symbol, decimal feeCharge);

    /// <summary>
    /// The counterparty side of ADL: this account's position on <paramref name="side"/> is reduced by up to
    /// <paramref name="quantity"/> at the bankruptcy price; returns the quantity it took (0 when it holds
    /// nothing on that side any more), or why not.
    /// </summary>
    Task<CommandResult<decimal>> Deleverage(string operationId, string symbol, decimal quantity, decimal price, PositionSide side);
}
