using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Behaviour;

/// <summary>
/// The pre-trade check weighs a cross order against the cross scope's available balance (unrealized
/// profit included) and an isolated order against what the wallet can move into it.
/// </summary>
public sealed class OrderCheckTests
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;
    private readonly Markets.MarketDefinition _btc = TestMarkets.Linear();
    private readonly Markets.MarketDefinition _eth = TestMarkets.Linear("ETHUSDT");
    private readonly MarketSnapshot _context;
    private readonly Account _account = new("order-check");

    public OrderCheckTests()
    {
        _context = new MarketSnapshot().Add(_btc, 30_000m).Add(_eth, 2_000m);
        _account.Execute(a => a.DecideDeposit("d", "USDT", 10_000m));
        _account.Execute(a => a.DecideSettings(_btc.Symbol, new PositionSettings(MarginMode.Cross, 10), _context, Thresholds));
        _account.Execute(a => a.DecideFill(new Fill("o", _btc.Symbol, Side.Buy, 1m, 30_000m, 0m), _btc));

        // 10 000 of unrealized profit: MB 20 000, IM 4 000, available 16 000, withdrawable 10 000.
        _context.SetMark(_btc.Symbol, 40_000m);
    }

    [Fact]
    public void A_cross_order_that_unrealized_profit_covers_is_accepted_and_one_lot_more_is_refused()
    {
        var fits = _account.CheckOrder(_btc.Symbol, Side.Buy, 5.333m, 30_000m, _context, Thresholds);
        Assert.True(fits.Accepted, fits.Reason);
        Assert.Equal(15_999m, fits.RequiredInitialMargin);
        Assert.Equal(16_000m, fits.AvailableBalance);
        Assert.Equal(fits.AvailableBalance, _account.Scope(MarginScope.Cross("USDT"), _context, Thresholds).AvailableBalance);

        var beyond = _account.CheckOrder(_btc.Symbol, Side.Buy, 5.334m, 30_000m, _context, Thresholds);
        Assert.False(beyond.Accepted);
        Assert.Equal(16_002m, beyond.RequiredInitialMargin);
        Assert.Contains("above the available balance", beyond.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_isolated_order_is_weighed_against_what_the_wallet_can_move_into_it()
    {
        _account.Execute(a => a.DecideSettings(_eth.Symbol, new PositionSettings(MarginMode.Isolated, 10), _context, Thresholds));

        var fits = _account.CheckOrder(_eth.Symbol, Side.Buy, 50m, 2_000m, _context, Thresholds);
        Assert.True(fits.Accepted, fits.Reason);
        Assert.Equal(10_000m, fits.RequiredInitialMargin);
        Assert.Equal(10_000m, fits.AvailableBalance);

        var beyond = _account.CheckOrder(_eth.Symbol, Side.Buy, 50.001m, 2_000m, _context, Thresholds);
        Assert.False(beyond.Accepted);

        // The accepted order's fill moves all the margin it needs: the wallet had it.
        _account.Execute(a => a.DecideFill(new Fill("eth", _eth.Symbol, Side.Buy, 50m, 2_000m, 0m), _eth));
        Assert.Equal(10_000m, _account.IsolatedMargin(_eth.Symbol, "USDT"));
    }

    [Fact]
    public void An_order_that_only_reduces_needs_nothing()
    {
        var reducing = _account.CheckOrder(_btc.Symbol, Side.Sell, 1m, 30_000m, _context, Thresholds);
        Assert.True(reducing.Accepted);
        Assert.Equal(0m, reducing.RequiredInitialMargin);
    }
}
