using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Grains.Accounts;

/// <summary>From the domain's margin report to what the wire carries.</summary>
public static class AccountViews
{
    /// <summary>The level as the metrics label it.</summary>
    public static string Word(MarginLevel level) => ContractWords.Of(ContractEnums.ToContract(level));

    /// <param name="pendingFunding">Of each balance, the funding counted in it that the ledger does not hold yet (none when null).</param>
    public static AccountMarginView Margin(
        AccountMarginReport report, long version, DateTimeOffset asOf, IReadOnlyDictionary<string, int> quantiles, Func<string, (long Sequence, bool Stale)> markOf,
        Func<LedgerAccount, decimal>? pendingFunding = null) =>
        new(report.AccountId, asOf,
            [.. report.Scopes.Select(s => Scope(s) with { PendingFunding = pendingFunding?.Invoke(BalanceOf(report.AccountId, s)) ?? 0m })],
            [.. report.Positions.Select(p => Position(p, quantiles.TryGetValue(p.Symbol, out var q) ? q : null, markOf(p.Symbol)))],
            ContractEnums.ToContract(report.WorstLevel), version);

    /// <summary>The ledger balance a scope's wallet balance is: the asset's wallet, or the isolated margin.</summary>
    private static LedgerAccount BalanceOf(string accountId, ScopeMargin s) =>
        s.Symbol is { } symbol && s.Mode == MarginMode.Isolated ? LedgerAccount.Isolated(accountId, symbol, s.SettleAsset) : LedgerAccount.Wallet(accountId, s.SettleAsset);

    public static ScopeView Scope(ScopeMargin s) => new(
        s.SettleAsset, ContractEnums.ToContract(s.Mode), s.Symbol, s.WalletBalance, s.UnrealizedPnl, s.MarginBalance, s.InitialMargin,
        s.MaintenanceMargin, s.MarginRatio, s.AvailableBalance, s.Withdrawable, ContractEnums.ToContract(s.Level));

    public static PositionView Position(PositionReport p, int? quantile, (long Sequence, bool Stale) mark) => new(
        p.Symbol, ContractEnums.ToContract(p.Mode), p.Leverage, p.Size, p.EntryPrice, p.MarkPrice, p.Notional, p.UnrealizedPnl, p.InitialMargin,
        p.MaintenanceMargin, p.MaintenanceMarginRate, p.IsolatedMargin, p.LiquidationPrice, p.BankruptcyPrice, quantile, mark.Sequence, mark.Stale);

    public static PositionView Flat(string symbol, PositionSettings settings) =>
        new(symbol, ContractEnums.ToContract(settings.Mode), settings.Leverage, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, null, null, null, null);
}
