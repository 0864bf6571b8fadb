using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Grains.Accounts;

/// <summary>From the domain's margin report to what the wire carries.</summary>
public static class AccountViews
{
    /// <summary>The level as the metrics label it.</summary>
    public static string Word(MarginLevel level) => ContractWords.Of(ContractEnums.ToContract(level));

    public static AccountMarginView Margin(
        AccountMarginReport report, long version, DateTimeOffset asOf, IReadOnlyDictionary<string, int> quantiles, Func<string, (long Sequence, bool Stale)> markOf) =>
        new(report.AccountId, asOf,
            [.. report.Scopes.Select(Scope)],
            [.. report.Positions.Select(p => Position(p, quantiles.TryGetValue(p.Symbol, out var q) ? q : null, markOf(p.Symbol)))],
            ContractEnums.ToContract(report.WorstLevel), version);

    public static ScopeView Scope(ScopeMargin s) => new(
        s.SettleAsset, ContractEnums.ToContract(s.Mode), s.Symbol, s.WalletBalance, s.UnrealizedPnl, s.MarginBalance, s.InitialMargin,
        s.MaintenanceMargin, s.MarginRatio, s.AvailableBalance, s.Withdrawable, ContractEnums.ToContract(s.Level));

    public static PositionView Position(PositionReport p, int? quantile, (long Sequence, bool Stale) mark) => new(
        p.Symbol, ContractEnums.ToContract(p.Mode), p.Leverage, p.Size, p.EntryPrice, p.MarkPrice, p.Notional, p.UnrealizedPnl, p.InitialMargin,
        p.MaintenanceMargin, p.MaintenanceMarginRate, p.IsolatedMargin, p.LiquidationPrice, p.BankruptcyPrice, quantile, mark.Sequence, mark.Stale);

    public static PositionView Flat(string symbol, PositionSettings settings) =>
        new(symbol, ContractEnums.ToContract(settings.Mode), settings.Leverage, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m, null, null, null, null);
}
