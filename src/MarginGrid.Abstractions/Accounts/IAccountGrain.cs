using System.Collections.Immutable;
using MarginGrid.Abstractions.Common;
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

    /// <summary>The live margin from the newest marks.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<AccountMarginView> GetMargin();

    /// <summary>Ledger entries oldest first, after sequence <paramref name="after"/>.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<LedgerEntryView>> GetLedger(long after, int limit);

    /// <summary>A market this account holds has a new mark (from its shard). Returns the account's price band.</summary>
    Task<PriceBand> OnMark(MarkUpdate update);

    /// <summary>A funding settlement of a market this account holds.</summary>
    Task OnFunding(FundingSettlement settlement);

    /// <summary>Re-evaluates now (the safety-net sweep and tests use it); escalates a breach like a mark would.</summary>
    Task<string> Evaluate();
}
