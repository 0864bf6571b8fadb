using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Behaviour;

public sealed class IsolatedFillTests
{
    private readonly Markets.MarketDefinition _market = TestMarkets.Linear();
    private readonly MarketSnapshot _context;
    private readonly Account _account = new("iso");

    public IsolatedFillTests()
    {
        _context = new MarketSnapshot().Add(_market, 20_000m);
        _account.Execute(a => a.DecideDeposit("d", "USDT", 1_000m));
        _account.Execute(a => a.DecideSettings(_market.Symbol, new PositionSettings(MarginMode.Isolated, 50), _context, MarginLevelThresholds.Default));
    }

    [Fact]
    public void Opening_moves_notional_over_leverage_into_isolated_margin_and_charges_the_fee()
    {
        Fill("o", Side.Buy, 1m, 20_000m, fee: 8m);
        Assert.Equal(400m, _account.Positions[_market.Symbol].IsolatedMargin);
        Assert.Equal(1_000m - 400m - 8m, _account.Wallet("USDT"));
    }

    [Fact]
    public void Reducing_by_a_fraction_returns_that_fraction_of_the_margin_and_realizes_to_the_wallet()
    {
        Fill("o", Side.Buy, 1m, 20_000m);
        Fill("r", Side.Sell, 0.25m, 20_400m);
        var position = _account.Positions[_market.Symbol];
        Assert.Equal(0.75m, position.Size);
        Assert.Equal(300m, position.IsolatedMargin);
        Assert.Equal(600m + 100m + 100m, _account.Wallet("USDT"));
    }

    [Fact]
    public void A_flip_releases_all_margin_then_allocates_for_the_new_side()
    {
        Fill("o", Side.Buy, 1m, 20_000m);
        Fill("f", Side.Sell, 1.5m, 21_000m);
        var position = _account.Positions[_market.Symbol];
        Assert.Equal(-0.5m, position.Size);
        Assert.Equal(21_000m, position.EntryPrice);
        Assert.Equal(210m, position.IsolatedMargin);
        Assert.Equal(600m + 1_000m + 400m - 210m, _account.Wallet("USDT"));
    }

    [Fact]
    public void A_fill_the_wallet_cannot_cover_moves_what_is_there_and_is_still_applied()
    {
        // 3 BTC at 50× needs 1,200 but only 10 is left after the fee: 10 moves, and the position is in breach.
        Fill("o", Side.Buy, 3m, 20_000m, fee: 990m);
        Assert.Equal(3m, _account.Positions[_market.Symbol].Size);
        Assert.Equal(10m, _account.Positions[_market.Symbol].IsolatedMargin);
        Assert.Equal(0m, _account.Wallet("USDT"));
        Assert.Equal(MarginLevel.Breach, _account.Scope(MarginScope.Isolated("USDT", _market.Symbol), _context, MarginLevelThresholds.Default).Level);
    }

    [Fact]
    public void Closing_returns_everything_and_a_maker_rebate_is_credited()
    {
        Fill("o", Side.Buy, 1m, 20_000m);
        Fill("c", Side.Sell, 1m, 20_000m, fee: -2m);
        Assert.False(_account.Positions.ContainsKey(_market.Symbol));
        Assert.Equal(0m, _account.IsolatedMargin(_market.Symbol, "USDT"));
        Assert.Equal(1_002m, _account.Wallet("USDT"));
    }

    [Fact]
    public void Adding_and_removing_isolated_margin_respects_the_wallet_and_the_initial_margin()
    {
        Fill("o", Side.Buy, 1m, 20_000m);
        _account.Execute(a => a.DecideIsolatedMarginChange("add", _market.Symbol, 250m, _context, MarginLevelThresholds.Default));
        Assert.Equal(650m, _account.Positions[_market.Symbol].IsolatedMargin);

        var tooMuch = Assert.Throws<DomainException>(() => _account.DecideIsolatedMarginChange("rm", _market.Symbol, -300m, _context, MarginLevelThresholds.Default));
        Assert.Equal(ErrorCodes.InsufficientMargin, tooMuch.Code);
        _account.Execute(a => a.DecideIsolatedMarginChange("rm", _market.Symbol, -250m, _context, MarginLevelThresholds.Default));
        Assert.Equal(400m, _account.Positions[_market.Symbol].IsolatedMargin);
        Assert.Null(_account.Execute(a => a.DecideIsolatedMarginChange("rm", _market.Symbol, -250m, _context, MarginLevelThresholds.Default)));
    }

    private void Fill(string id, Side side, decimal quantity, decimal price, decimal fee = 0m) =>
        _account.Execute(a => a.DecideFill(new Fill(id, _market.Symbol, side, quantity, price, fee), _market));
}
