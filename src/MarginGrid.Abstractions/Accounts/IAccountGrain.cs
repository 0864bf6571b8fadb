using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// A trader's account (key: account id): wallets, positions, settings and its ledger. Every command that
/// moves money or position carries an id and is idempotent; a refused command changes nothing.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Credits a deposit from outside the grid.</summary>
    Task<CommandResult<AccountMarginView>> Deposit(string transferId, string asset, decimal amount);

    /// <summary>Pays out a withdrawal; refused (<c>above_withdrawable</c>) above <c>min(wallet, available)</c>.</summary>
    Task<CommandResult<AccountMarginView>> Withdraw(string transferId, string asset, decimal amount);

    /// <summary>Applies a trade from the matching engine: always applied, idempotent by fill id.</summary>
    Task<CommandResult<PositionView>> ApplyFill(string fillId, string symbol, string side, decimal quantity, decimal price, decimal fee);

    /// <summary>Sets margin mode and leverage of a market.</summary>
    Task<CommandResult<AccountMarginView>> ChangeSettings(string symbol, string marginMode, int leverage);

    /// <summary>Adds (positive) or removes (negative) isolated margin of a position.</summary>
    Task<CommandResult<PositionView>> ChangeIsolatedMargin(string operationId, string symbol, decimal delta);

    /// <summary>The pre-trade check of a prospective order; changes nothing.</summary>
    Task<CommandResult<OrderCheckView>> CheckOrder(string symbol, string side, decimal quantity, decimal price);

    /// <summary>
    /// The margin the account would have after <paramref name="request"/>'s fills at its marks and shocks, from
    /// the newest marks; nothing is stored. <c>unknown_account</c> for an account with no history.
    /// </summary>
    [Orleans.Concurrency.ReadOnly]
    Task<CommandResult<AccountMarginView>> WhatIf(WhatIfRequest request);

    /// <summary>The largest quantity of <paramref name="side"/> at <paramref name="price"/> the pre-trade check accepts now.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<CommandResult<MaxOrderView>> MaxOrder(string symbol, string side, decimal price);

    /// <summary>The live margin from the newest marks.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<AccountMarginView> GetMargin();

    /// <summary>Opens an account in one command (deposits, settings, fills): all of it, or nothing with the first refusal.</summary>
    Task<CommandResult<AccountMarginView>> Open(AccountOpening opening);

    /// <summary>The raw holdings, for an independent valuation (an audit sweep, the load test's missed-breach check).</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<AccountHoldings> GetHoldings();

    /// <summary>The worst margin level now (healthy, warning, danger, breach).</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<string> GetLevel();

    /// <summary>Ledger entries oldest first, after sequence <paramref name="after"/>.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<LedgerEntryView>> GetLedger(long after, int limit);

    /// <summary>A market this account holds has a new mark (from its shard). Returns what the shard keeps of it.</summary>
    Task<HolderReport> OnMark(MarkUpdate update);

    /// <summary>A funding settlement of a market this account holds.</summary>
    Task OnFunding(FundingSettlement settlement);

    /// <summary>Re-evaluates now (the safety-net sweep and tests use it); escalates a breach like a mark would. Returns the level.</summary>
    Task<string> Evaluate();

    // The liquidation coordinator's side: each call is idempotent by operation and step.

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
    Task<CommandResult<decimal>> Deleverage(string operationId, string symbol, decimal quantity, decimal price, int side);
}
