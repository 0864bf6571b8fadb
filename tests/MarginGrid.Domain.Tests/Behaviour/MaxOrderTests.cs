using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Behaviour;

/// <summary>The largest order is exactly the boundary of the pre-trade check: it is accepted, one lot more is not.</summary>
public sealed class MaxOrderTests
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;
    private readonly Markets.MarketDefinition _btc = TestMarkets.Linear();
    private readonly MarketSnapshot _context;

    public MaxOrderTests() => _context = new MarketSnapshot().Add(_btc, 30_000m);

    [Fact]
    public void Unrealized_profit_adds_to_the_largest_cross_order()
    {
        var account = Account(10_000m, 10);
        account.Execute(a => a.DecideFill(new Fill("o", _btc.Symbol, Side.Buy, 1m, 30_000m, 0m), _btc));
        _context.SetMark(_btc.Symbol, 40_000m);

        // Available 20 000 − 4 000 = 16 000 at 3 000 a unit: 5.333.
        var max = account.MaxOrder(_btc.Symbol, Side.Buy, 30_000m, _context, Thresholds);
        Assert.Equal(5.333m, max.Quantity);
        Assert.Equal(15_999m, max.RequiredInitialMargin);
        AssertBoundary(account, Side.Buy, 30_000m, max);
    }

    [Fact]
    public void An_opposite_order_first_closes_the_position()
    {
        var account = Account(10_000m, 10);
        account.Execute(a => a.DecideFill(new Fill("o", _btc.Symbol, Side.Buy, 1m, 30_000m, 0m), _btc));
        _context.SetMark(_btc.Symbol, 40_000m);

        // Closes 1, then opens a short the 16 000 available funds at 3 000 a unit.
        var max = account.MaxOrder(_btc.Symbol, Side.Sell, 30_000m, _context, Thresholds);
        Assert.Equal(6.333m, max.Quantity);
        AssertBoundary(account, Side.Sell, 30_000m, max);
    }

    [Fact]
    public void The_bracket_of_the_resulting_notional_caps_the_largest_order()
    {
        // 100× is allowed below 250 000 of notional and not from there (50×): margin would fund far more.
        var account = Account(1_000_000m, 100);
        var max = account.MaxOrder(_btc.Symbol, Side.Buy, 50_000m, _context, Thresholds);
        Assert.Equal(4.999m, max.Quantity);
        Assert.Equal(2_499.5m, max.RequiredInitialMargin);
        AssertBoundary(account, Side.Buy, 50_000m, max);
        Assert.Contains("maximum 50", account.CheckOrder(_btc.Symbol, Side.Buy, 5m, 50_000m, _context, Thresholds).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_fits_gives_zero()
    {
        var account = Account(1m, 20);
        var max = account.MaxOrder(_btc.Symbol, Side.Buy, 30_000m, _context, Thresholds);
        Assert.Equal(new MaxOrderResult(0m, 0m), max);
        Assert.False(account.CheckOrder(_btc.Symbol, Side.Buy, _btc.LotSize, 30_000m, _context, Thresholds).Accepted);
    }

    [Theory]
    [InlineData(100, 20, "buy", "30000", "0")]
    [InlineData(100, 20, "sell", "30000", "0")]
    [InlineData(137, 7, "sell", "29999.99", "0.01")]
    [InlineData(250, 3, "buy", "31000", "-0.02")]
    [InlineData(250, 3, "sell", "28000", "0.02")]
    public void The_largest_order_is_what_a_scan_of_every_lot_finds(int wallet, int leverage, string side, string price, string held)
    {
        var account = Account(wallet, leverage);
        var size = decimal.Parse(held, System.Globalization.CultureInfo.InvariantCulture);
        if (size != 0m)
        {
            account.Execute(a => a.DecideFill(new Fill("held", _btc.Symbol, size > 0 ? Side.Buy : Side.Sell, Math.Abs(size), 30_000m, 0m), _btc));
        }

        var parsedSide = side == "buy" ? Side.Buy : Side.Sell;
        var parsedPrice = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);
        var scanned = 0m;
        for (var lots = 1; lots <= 2_000; lots++)
        {
            if (account.CheckOrder(_btc.Symbol, parsedSide, lots * _btc.LotSize, parsedPrice, _context, Thresholds).Accepted)
            {
                scanned = lots * _btc.LotSize;
            }
        }

        Assert.True(scanned < 1.5m, "the scan must reach beyond the boundary");
        Assert.Equal(scanned, account.MaxOrder(_btc.Symbol, parsedSide, parsedPrice, _context, Thresholds).Quantity);
    }

    [Fact]
    public void Bad_input_is_refused_with_its_code()
    {
        var account = Account(100m, 20);
        Assert.Equal(ErrorCodes.InvalidPrice, Assert.Throws<DomainException>(() => account.MaxOrder(_btc.Symbol, Side.Buy, 1.001m, _context, Thresholds)).Code);
        Assert.Equal(ErrorCodes.UnknownMarket, Assert.Throws<DomainException>(() => account.MaxOrder("NOPE", Side.Buy, 1m, _context, Thresholds)).Code);
    }

    private Account Account(decimal wallet, int leverage)
    {
        var account = new Account("max-order");
        account.Execute(a => a.DecideDeposit("d", "USDT", wallet));
        account.Execute(a => a.DecideSettings(_btc.Symbol, new PositionSettings(MarginMode.Cross, leverage), _context, Thresholds));
        return account;
    }

    private void AssertBoundary(Account account, Side side, decimal price, MaxOrderResult max)
    {
        var at = account.CheckOrder(_btc.Symbol, side, max.Quantity, price, _context, Thresholds);
        Assert.True(at.Accepted, at.Reason);
        Assert.Equal(max.RequiredInitialMargin, at.RequiredInitialMargin);
        Assert.False(account.CheckOrder(_btc.Symbol, side, max.Quantity + _btc.LotSize, price, _context, Thresholds).Accepted);
    }
}
