using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Behaviour;

public sealed class CrossAccountTests
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;
    private readonly Markets.MarketDefinition _market = TestMarkets.Linear();
    private readonly MarketSnapshot _context;
    private readonly Account _account = new("cross");

    public CrossAccountTests()
    {
        _context = new MarketSnapshot().Add(_market, 30_000m);
        _account.Execute(a => a.DecideDeposit("d", "USDT", 10_000m));
        _account.Execute(a => a.DecideSettings(_market.Symbol, new PositionSettings(MarginMode.Cross, 10), _context, Thresholds));
        _account.Execute(a => a.DecideFill(new Fill("o", _market.Symbol, Side.Buy, 1m, 30_000m, 0m), _market));
    }

    [Fact]
    public void Unrealized_profit_backs_positions_but_cannot_be_withdrawn()
    {
        _context.SetMark(_market.Symbol, 40_000m);
        var scope = _account.Scope(MarginScope.Cross("USDT"), _context, Thresholds);
        Assert.Equal(20_000m, scope.MarginBalance);
        Assert.Equal(16_000m, scope.AvailableBalance);
        Assert.Equal(10_000m, scope.Withdrawable);
    }

    [Fact]
    public void The_pre_trade_check_weighs_initial_margin_against_the_available_balance()
    {
        var ok = _account.CheckOrder(_market.Symbol, Side.Buy, 2m, 30_000m, _context, Thresholds);
        Assert.True(ok.Accepted);
        Assert.Equal(6_000m, ok.RequiredInitialMargin);
        Assert.Equal(7_000m, ok.AvailableBalance);

        var refused = _account.CheckOrder(_market.Symbol, Side.Buy, 3m, 30_000m, _context, Thresholds);
        Assert.False(refused.Accepted);
        Assert.Contains("above the available balance", refused.Reason);

        var reducing = _account.CheckOrder(_market.Symbol, Side.Sell, 1m, 30_000m, _context, Thresholds);
        Assert.True(reducing.Accepted);
        Assert.Equal(0m, reducing.RequiredInitialMargin);
    }

    [Fact]
    public void The_pre_trade_check_refuses_leverage_above_the_bracket_of_the_resulting_notional()
    {
        _account.Execute(a => a.DecideDeposit("big", "USDT", 1_000_000m));
        var check = _account.CheckOrder(_market.Symbol, Side.Buy, 40m, 30_000m, _context, Thresholds);
        Assert.True(check.Accepted);
        _account.Execute(a => a.DecideSettings(_market.Symbol, new PositionSettings(MarginMode.Cross, 100), _context, Thresholds));
        var tooLevered = _account.CheckOrder(_market.Symbol, Side.Buy, 40m, 30_000m, _context, Thresholds);
        Assert.False(tooLevered.Accepted);
        Assert.Contains("maximum 20", tooLevered.Reason);
    }

    [Fact]
    public void Levels_follow_the_margin_ratio_and_the_report_prints_a_breaching_liquidation_price()
    {
        Assert.Equal(MarginLevel.Healthy, _account.Assess(_context, Thresholds).WorstLevel);
        var report = _account.Report(_context, Thresholds);
        var position = Assert.Single(report.Positions);
        Assert.NotNull(position.LiquidationPrice);
        Assert.Equal(position.LiquidationPrice!.Value, _market.RoundPriceDown(position.LiquidationPrice.Value));

        _context.SetMark(_market.Symbol, position.LiquidationPrice.Value);
        Assert.Equal(MarginLevel.Breach, _account.Assess(_context, Thresholds).WorstLevel);
        Assert.Single(_account.ScopesInBreach(_context, Thresholds));

        _context.SetMark(_market.Symbol, position.LiquidationPrice.Value + _market.TickSize);
        Assert.Equal(MarginLevel.Danger, _account.Assess(_context, Thresholds).WorstLevel);
    }

    [Fact]
    public void Custom_thresholds_are_validated()
    {
        Assert.Throws<DomainException>(() => new MarginLevelThresholds(0.9m, 0.8m));
        var strict = new MarginLevelThresholds(0.1m, 0.2m);
        Assert.Equal(MarginLevel.Danger, strict.Classify(1_000m, 250m));
        Assert.Equal(MarginLevel.Warning, strict.Classify(1_000m, 150m));
        Assert.Equal(MarginLevel.Healthy, strict.Classify(-5m, 0m));
        Assert.Equal(MarginLevel.Breach, strict.Classify(-5m, 1m));
    }
}
