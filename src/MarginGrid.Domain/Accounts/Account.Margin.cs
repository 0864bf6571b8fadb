using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Margin;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>The open positions with their markets and current marks.</summary>
    public MarkedPosition[] MarkPositions(IMarketContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var marked = new MarkedPosition[_positions.Count];
        var i = 0;
        foreach (var position in _positions.Values)
        {
            marked[i++] = new MarkedPosition(context.Market(position.Symbol), position, context.Mark(position.Symbol));
        }

        return marked;
    }

    public WalletBalance[] WalletBalances() =>
        [.. _balances.Where(b => b.Key.Kind == LedgerAccountKind.Wallet).Select(b => new WalletBalance(b.Key.Asset, b.Value))];

    /// <summary>
    /// Isolated margin the ledger holds with no isolated position behind it: a scope a liquidation closed and has
    /// not settled yet. Zero balances are left out (a settled scope ends at exactly zero).
    /// </summary>
    public (string Symbol, string Asset, decimal Balance)[] UnsettledIsolatedScopes() =>
        [.. _balances
            .Where(b => b.Key.Kind == LedgerAccountKind.IsolatedMargin && b.Value != 0m
                && !(_positions.TryGetValue(b.Key.Symbol, out var p) && p.IsIsolated && p.SettleAsset == b.Key.Asset))
            .Select(b => (b.Key.Symbol, b.Key.Asset, b.Value))];

    /// <summary>The worst level over every scope.</summary>
    public AccountHealth Assess(IMarketContext context, MarginLevelThresholds thresholds) =>
        MarginCalculator.Assess(WalletBalances(), MarkPositions(context), thresholds);

    /// <summary>The margin of one scope now.</summary>
    public ScopeMargin Scope(MarginScope scope, IMarketContext context, MarginLevelThresholds thresholds)
    {
        if (scope.Symbol is { } symbol)
        {
            var position = _positions.TryGetValue(symbol, out var p) && p.IsIsolated
                ? p
                : throw new Common.DomainException(Common.ErrorCodes.UnknownPosition, $"Account {Id} has no isolated position in {symbol}.");
            return MarginCalculator.IsolatedScope(context.Market(symbol), position, context.Mark(symbol), thresholds);
        }

        return MarginCalculator.CrossScope(scope.Asset, Wallet(scope.Asset), MarkPositions(context), thresholds);
    }

    /// <summary>Every scope that has something in it: each wallet's cross scope and each isolated position.</summary>
    public IReadOnlyList<MarginScope> OpenScopes(IMarketContext context)
    {
        var scopes = new List<MarginScope>();
        var crossAssets = _balances.Keys.Where(k => k.Kind == LedgerAccountKind.Wallet).Select(k => k.Asset)
            .Concat(_positions.Values.Where(p => !p.IsIsolated).Select(p => p.SettleAsset))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        scopes.AddRange(crossAssets.Select(MarginScope.Cross));
        scopes.AddRange(_positions.Values.Where(p => p.IsIsolated).OrderBy(p => p.Symbol, StringComparer.Ordinal)
            .Select(p => MarginScope.Isolated(p.SettleAsset, p.Symbol)));
        return scopes;
    }

    /// <summary>
    /// For each open position's market, the marks inside which no scope of this account changes level, all
    /// bands holding together (see <see cref="PriceBandCalculator.ForScope"/>).
    /// </summary>
    public Dictionary<string, PriceBand> PriceBands(IMarketContext context, MarginLevelThresholds thresholds)
    {
        var bands = new Dictionary<string, PriceBand>(_positions.Count, StringComparer.Ordinal);
        var marked = MarkPositions(context);
        foreach (var isolated in marked.Where(p => p.Position.IsIsolated))
        {
            bands[isolated.Position.Symbol] = PriceBandCalculator.For(
                isolated.Market, isolated.Position, isolated.Position.IsolatedMargin, 0m, 0m, isolated.Mark, thresholds);
        }

        foreach (var cross in marked.Where(p => !p.Position.IsIsolated).GroupBy(p => p.Market.SettleAsset, StringComparer.Ordinal))
        {
            var scope = cross.ToArray();
            var scopeBands = new PriceBand[scope.Length];
            PriceBandCalculator.ForScope(Wallet(cross.Key), scope, thresholds, scopeBands);
            for (var i = 0; i < scope.Length; i++)
            {
                bands[scope[i].Position.Symbol] = scopeBands[i];
            }
        }

        return bands;
    }

    /// <summary>The scopes in breach now.</summary>
    public IReadOnlyList<MarginScope> ScopesInBreach(IMarketContext context, MarginLevelThresholds thresholds) =>
        [.. OpenScopes(context).Where(s => Scope(s, context, thresholds).InBreach)];

    /// <summary>The full live margin: what <c>GET /v1/accounts/{id}/margin</c> shows.</summary>
    public AccountMarginReport Report(IMarketContext context, MarginLevelThresholds thresholds)
    {
        var marked = MarkPositions(context);
        var scopes = OpenScopes(context).Select(s => Scope(s, context, thresholds)).ToList();
        var positions = new List<PositionReport>(marked.Length);
        for (var i = 0; i < marked.Length; i++)
        {
            positions.Add(ReportPosition(marked, i));
        }

        return new AccountMarginReport(Id, scopes, [.. positions.OrderBy(p => p.Symbol, StringComparer.Ordinal)]);
    }

    private PositionReport ReportPosition(MarkedPosition[] marked, int index)
    {
        var (market, position, mark) = marked[index];
        var figures = MarginCalculator.ForPosition(market, position, mark);
        decimal? liquidation, bankruptcy;
        if (position.IsIsolated)
        {
            liquidation = LiquidationPriceCalculator.PrintedForIsolated(market, position);
            bankruptcy = LiquidationPriceCalculator.Bankruptcy(market, position.Size, position.EntryPrice, position.IsolatedMargin, 0m);
        }
        else
        {
            var wallet = Wallet(market.SettleAsset);
            liquidation = LiquidationPriceCalculator.PrintedForCross(wallet, marked, index);
            bankruptcy = LiquidationPriceCalculator.BankruptcyForCross(wallet, marked, index);
        }

        return new PositionReport(
            position.Symbol, market.SettleAsset, position.Mode, position.Leverage, position.Size, position.EntryPrice, mark,
            figures.Notional, figures.UnrealizedPnl, figures.InitialMargin, figures.MaintenanceMargin, figures.MaintenanceMarginRate,
            position.IsIsolated ? position.IsolatedMargin : null,
            liquidation,
            bankruptcy);
    }
}
