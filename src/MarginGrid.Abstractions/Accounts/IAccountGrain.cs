using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// A trader's account (key: account id) as the API and the client see it: commands and reads of wallets,
/// positions, settings and its ledger. Every command that moves money or position carries an id and is
/// idempotent; a refused command changes nothing. The same grain answers <see cref="IAccountDelivery"/> (its
/// market shards) and <see cref="IAccountLiquidation"/> (its liquidation coordinator) under the same key.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Credits a deposit from outside the grid.</summary>
    Task<CommandResult<AccountMarginView>> Deposit(string transferId, string asset, decimal amount);

    /// <summary>Pays out a withdrawal; refused (<c>above_withdrawable</c>) above <c>min(wallet, available)</c>.</summary>
    Task<CommandResult<AccountMarginView>> Withdraw(string transferId, string asset, decimal amount);

    /// <summary>Applies a trade from the matching engine: always applied, idempotent by fill id.</summary>
    Task<CommandResult<PositionView>> ApplyFill(string fillId, string symbol, OrderSide side, decimal quantity, decimal price, decimal fee);

    /// <summary>Sets margin mode and leverage of a market.</summary>
    Task<CommandResult<AccountMarginView>> ChangeSettings(string symbol, PositionMarginMode marginMode, int leverage);

    /// <summary>Adds (positive) or removes (negative) isolated margin of a position.</summary>
    Task<CommandResult<PositionView>> ChangeIsolatedMargin(string operationId, string symbol, decimal delta);

    /// <summary>The pre-trade check of a prospective order; changes nothing.</summary>
    Task<CommandResult<OrderCheckView>> CheckOrder(string symbol, OrderSide side, decimal quantity, decimal price);

    /// <summary>
    /// The margin the account would have after <paramref name="request"/>'s fills at its marks and shocks, from
    /// the newest marks; nothing is stored. <c>unknown_account</c> for an account with no history.
    /// </summary>
    [Orleans.Concurrency.ReadOnly]
    Task<CommandResult<AccountMarginView>> WhatIf(WhatIfRequest request);

    /// <summary>The largest quantity of <paramref name="side"/> at <paramref name="price"/> the pre-trade check accepts now.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<CommandResult<MaxOrderView>> MaxOrder(string symbol, OrderSide side, decimal price);

    /// <summary>The live margin from the newest marks.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<AccountMarginView> GetMargin();

    /// <summary>Opens an account in one command (deposits, settings, fills): all of it, or nothing with the first refusal.</summary>
    Task<CommandResult<AccountMarginView>> Open(AccountOpening opening);

    /// <summary>The raw holdings, for an independent valuation (an audit sweep, the load test's missed-breach check).</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<AccountHoldings> GetHoldings();

    /// <summary>The worst margin level now.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<RiskLevel> GetLevel();

    /// <summary>Ledger entries oldest first, after sequence <paramref name="after"/>.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<LedgerEntryView>> GetLedger(long after, int limit);

    /// <summary>Funding payments newest first, those numbered below <paramref name="before"/> (0: from the newest); unrealised ones included.</summary>
    Task<ImmutableArray<FundingPaymentView>> GetFunding(long before, int limit);
}
