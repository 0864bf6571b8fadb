using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Behaviour;

public sealed class LiquidationPlanningTests
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    [Fact]
    public void A_position_in_a_higher_bracket_is_first_reduced_just_below_its_floor_or_less()
    {
        var market = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(market, 30_000m);
        var account = new Account("big");
        account.Execute(a => a.DecideDeposit("d", "USDT", 4_000m));
        account.Execute(a => a.DecideSettings(market.Symbol, new PositionSettings(MarginMode.Cross, 50), context, Thresholds));
        account.Execute(a => a.DecideFill(new Fill("o", market.Symbol, Side.Buy, 10m, 30_000m, 0m), market));

        // 10 BTC at 29,700: notional 297,000 (bracket 3, MM 1,670), margin balance 1,000: a breach.
        context.SetMark(market.Symbol, 29_700m);
        var scope = MarginScope.Cross("USDT");
        Assert.True(account.Scope(scope, context, Thresholds).InBreach);

        var plan = LiquidationPlanner.PlanPartial(account, scope, context, Thresholds);
        Assert.NotNull(plan);

        // Below the 250,000 floor needs 10 − 8.417 = 1.583 BTC; restoring MB > MM needs more than that, so the floor wins.
        Assert.Equal(1.583m, plan!.Quantity);
        var remaining = 10m - plan.Quantity;
        Assert.True(ContractMath.Notional(market, remaining, 29_700m) < 250_000m);
        Assert.True(ContractMath.Notional(market, remaining + market.LotSize, 29_700m) >= 250_000m);
    }

    [Fact]
    public void The_partial_step_takes_the_smallest_quantity_that_restores_the_margin()
    {
        var market = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(market, 30_000m);
        var account = new Account("near");
        account.Execute(a => a.DecideDeposit("d", "USDT", 3_000m));
        account.Execute(a => a.DecideSettings(market.Symbol, new PositionSettings(MarginMode.Cross, 50), context, Thresholds));
        account.Execute(a => a.DecideFill(new Fill("o", market.Symbol, Side.Buy, 8.5m, 30_000m, 0m), market));
        var report = account.Report(context, Thresholds);
        context.SetMark(market.Symbol, report.Positions[0].LiquidationPrice!.Value - 1m);

        var plan = LiquidationPlanner.PlanPartial(account, MarginScope.Cross("USDT"), context, Thresholds)!;
        Assert.True(plan.Quantity > market.LotSize);
        Assert.True(ContractMath.Notional(market, 8.5m - plan.Quantity, context.Mark(market.Symbol)) >= 250_000m, "restoring should need less than leaving the bracket");
        account.Execute(a => a.DecideLiquidationTrade("l", "partial", market, plan.Quantity, context.Mark(market.Symbol), false));
        Assert.False(account.Scope(MarginScope.Cross("USDT"), context, Thresholds).InBreach);

        // One lot less would not have been enough.
        var smaller = new Account("near2");
        smaller.Execute(a => a.DecideDeposit("d", "USDT", 3_000m));
        smaller.Execute(a => a.DecideSettings(market.Symbol, new PositionSettings(MarginMode.Cross, 50), context, Thresholds));
        smaller.Execute(a => a.DecideFill(new Fill("o", market.Symbol, Side.Buy, 8.5m, 30_000m, 0m), market));
        smaller.Execute(a => a.DecideLiquidationTrade("l", "partial", market, plan.Quantity - market.LotSize, context.Mark(market.Symbol), false));
        Assert.True(smaller.Scope(MarginScope.Cross("USDT"), context, Thresholds).InBreach);
    }

    [Fact]
    public void A_position_in_the_first_bracket_has_no_partial_step()
    {
        var market = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(market, 20_000m);
        var account = new Account("small");
        account.Execute(a => a.DecideDeposit("d", "USDT", 500m));
        account.Execute(a => a.DecideSettings(market.Symbol, new PositionSettings(MarginMode.Isolated, 50), context, Thresholds));
        account.Execute(a => a.DecideFill(new Fill("o", market.Symbol, Side.Buy, 1m, 20_000m, 0m), market));
        context.SetMark(market.Symbol, 19_000m);
        Assert.Null(LiquidationPlanner.PlanPartial(account, MarginScope.Isolated("USDT", market.Symbol), context, Thresholds));
    }

    [Fact]
    public void Adl_covers_exactly_the_shortfall_the_fund_cannot_pay()
    {
        var market = Markets(out var position);

        // Closing 1 BTC at 19,500 with 400 margin leaves r = −100. With 40 in the fund, 60 is short:
        // 1 · 60/100 = 0.6 BTC goes to ADL at the bankruptcy price 19,600.
        var plan = LiquidationPlanner.PlanAdl([new ClosingPosition(market, position, 19_500m)], 400m, 40m);
        Assert.NotNull(plan);
        Assert.Equal(0.6m, plan!.Quantity);
        Assert.Equal(19_600m, plan.BankruptcyPrice);

        var remaining = 400m + ((1m - plan.Quantity) * (19_500m - 20_000m)) + (plan.Quantity * (19_600m - 20_000m));
        Assert.Equal(-40m, remaining);
        Assert.Null(LiquidationPlanner.PlanAdl([new ClosingPosition(market, position, 19_500m)], 400m, 100m));
    }

    [Fact]
    public void Counterparties_are_deleveraged_in_rank_order()
    {
        var ranked = AdlRanking.Rank([new AdlCandidate("low", 5m, -0.1m), new AdlCandidate("high", 1m, 2m), new AdlCandidate("mid", 2m, 0.5m)]);
        var (allocations, unallocated) = AdlAllocator.Allocate(2.5m, ranked);
        Assert.Equal([new AdlAllocation("high", 1m), new AdlAllocation("mid", 1.5m)], allocations);
        Assert.Equal(0m, unallocated);

        var (_, short_) = AdlAllocator.Allocate(10m, ranked);
        Assert.Equal(2m, short_);
    }

    [Fact]
    public void A_counterparty_gives_what_it_still_holds_on_the_expected_side_and_nothing_otherwise()
    {
        var market = TestMarkets.Linear();
        var account = new Account("cp");
        account.Execute(a => a.DecideDeposit("d", "USDT", 100_000m));
        account.Execute(a => a.DecideFill(new Fill("s", market.Symbol, Side.Sell, 1.5m, 30_000m, 0m), market));

        // Asked for 2 while holding a 1.5 short: it takes 1.5, and a replay answers the same.
        var taken = account.Execute(a => a.DecideDeleverage("op1", market, 2m, 29_000m, side: -1))!;
        Assert.Equal(1.5m, Account.DeleveragedQuantity(taken, -1.5m));
        Assert.False(account.Positions.ContainsKey(market.Symbol));
        Assert.Null(account.DecideDeleverage("op1", market, 2m, 29_000m, side: -1));

        // Nothing left on that side: a recorded no-op.
        var nothing = account.Execute(a => a.DecideDeleverage("op2", market, 1m, 29_000m, side: -1))!;
        Assert.Equal(0m, Account.DeleveragedQuantity(nothing, 0m));
        Assert.Equal(101_500m, account.Wallet("USDT"));
    }

    [Theory]
    [InlineData(0, 10, 5)]
    [InlineData(2, 10, 4)]
    [InlineData(9, 10, 1)]
    [InlineData(0, 1, 5)]
    public void Adl_quantiles_run_from_five_for_the_first_to_one_for_the_last(int rank, int count, int quantile)
    {
        Assert.Equal(quantile, AdlRanking.Quantile(rank, count));
    }

    [Fact]
    public void The_waterfall_never_leaves_a_trader_negative_and_records_what_nobody_covers()
    {
        Assert.Equal(new WaterfallOutcome(50m, 0m, 0m, 0m), Waterfall.Resolve(50m, 245.625m, 0m));
        Assert.Equal(new WaterfallOutcome(10m, 0m, 0m, 90m), Waterfall.Resolve(100m, 10m, 0m));
        Assert.Equal(new WaterfallOutcome(0m, 30m, 70m, 0m), Waterfall.Resolve(-100m, 10m, 30m));
        Assert.Throws<DomainException>(() => Waterfall.Resolve(1m, -1m, 0m));
    }

    private static MarketDefinition Markets(out Position position)
    {
        var market = new MarketDefinition("X", MarketKind.Linear, "USDT", 1m, 0.01m, 0.001m, [new RiskBracketSpec(0m, 50, 0.005m)],
            TimeSpan.FromHours(8), 0.0001m, 0.0005m, 0.003m, 0.0125m, TimeSpan.FromSeconds(10));
        position = new Position("X", "USDT", MarginMode.Isolated, 50, 1m, 20_000m, 400m);
        return market;
    }
}
