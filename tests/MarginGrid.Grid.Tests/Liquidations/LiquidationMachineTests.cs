using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Liquidations;

namespace MarginGrid.Grid.Tests.Liquidations;

/// <summary>
/// The coordinator's stages without a cluster: each transition, the partial step, the full step (the fund's
/// share set aside first, ADL for the rest, the executor for what ADL leaves), the waterfall, and resumption
/// after a failed call (the same commands, never a second fill).
/// </summary>
public sealed class LiquidationMachineTests
{
    private const string Id = "L0-1";

    [Fact]
    public async Task A_scope_not_in_breach_at_the_start_is_cancelled_and_nothing_is_sent()
    {
        var world = new FakeLiquidationSteps { Mark = 30_000m };
        var (end, work) = await Run(world);

        Assert.Equal("cancelled", end?.Status);
        Assert.Equal(LiquidationStage.Start, work.Stage);
        Assert.Empty(world.Calls);
    }

    [Fact]
    public async Task A_stale_mark_holds_the_liquidation_at_its_stage_until_a_fresh_one()
    {
        var world = new FakeLiquidationSteps { Stale = true, PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };

        Assert.Null(await Machine(world, breach, work).Advance(() => false));
        Assert.Equal(LiquidationStage.Start, work.Stage);
        Assert.Empty(world.Calls);

        world.Stale = false;
        Assert.NotNull(await Machine(world, breach, work).Advance(() => false));
    }

    [Fact]
    public async Task A_stopping_coordinator_starts_no_stage()
    {
        var world = new FakeLiquidationSteps();
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };

        Assert.Null(await Machine(world, breach, work).Advance(() => true));
        Assert.Equal(LiquidationStage.Start, work.Stage);
        Assert.Empty(world.Calls);
    }

    [Fact]
    public async Task A_partial_step_that_restores_the_scope_ends_recovered_and_is_saved_before_it_is_sent()
    {
        var world = new FakeLiquidationSteps { Mark = 29_900m, FillPrice = 29_900m, PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        var (end, work) = await Run(world);

        Assert.Equal("recovered", end?.Status);
        Assert.Equal(
            ["save", "plan-partial", "save", $"execute:{Id}:partial:Sell:0.5", "save", "apply:partial:0.5@29900", "save"],
            world.Calls);
        var step = Assert.Single(work.Steps);
        Assert.Equal(("partial", 0.5m, 29_900m), (step.Kind, step.Quantity, step.Price));
        Assert.Equal(0.5m, world.Size);
    }

    [Fact]
    public async Task A_scope_the_market_restored_before_the_partial_step_is_cancelled()
    {
        var world = new FakeLiquidationSteps { PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot, Stage = LiquidationStage.Partial };
        world.Mark = 30_000m;

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Equal("cancelled", end?.Status);
        Assert.Equal(["plan-partial"], world.Calls);
    }

    [Fact]
    public async Task A_scope_restored_after_its_partial_step_but_before_the_full_one_ends_recovered()
    {
        var world = new FakeLiquidationSteps { Mark = 30_000m };
        var breach = world.Breach();
        var work = new LiquidationWork
        {
            Scope = breach.Snapshot,
            Stage = LiquidationStage.Full,
            Partial = new PlannedTrade { Kind = "partial", Symbol = FakeLiquidationSteps.Symbol, Quantity = 0.5m, Done = true },
        };

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Equal("recovered", end?.Status);
        Assert.Empty(world.Calls);
    }

    [Fact]
    public async Task Still_in_breach_after_the_partial_step_the_fund_is_asked_first_and_covers_the_close_without_adl()
    {
        var world = new FakeLiquidationSteps { PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        var (end, work) = await Run(world);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(LiquidationStage.Waterfall, work.Stage);
        Assert.Equal(["partial", "full", "fee"], work.Steps.Select(s => s.Kind));
        Assert.True(Index(world, "reserve:") < Index(world, $"execute:{Id}:full:"), "the fund's share is set aside before the full close");
        Assert.Equal(0, world.Count("candidates"));
        Assert.Equal(0, world.Count("deleverage"));
        Assert.Equal(1, world.Count("payout:0"));
        Assert.Equal(new SettlementView(50m, 0m, 0m), end?.Settlement);
        Assert.Equal(0m, world.Size);
    }

    [Fact]
    public async Task What_the_fund_cannot_cover_is_deleveraged_in_rank_order_and_the_executor_closes_the_rest()
    {
        var world = new FakeLiquidationSteps { FillPrice = 29_000m, FundBalance = 300m };
        world.Counterparties.AddRange([("c1", 0.4m), ("c2", 1m)]);

        var (end, work) = await Run(world);

        Assert.Equal("closed", end?.Status);
        // Closing all at 29000 leaves −800; the fund sets aside 300, so ADL takes 500/800 of the position at the bankruptcy price.
        Assert.True(Index(world, "reserve:800") < Index(world, "deleverage:"), "the fund is asked before any counterparty");
        Assert.Equal(["deleverage:c1:0.625@29800.00", "deleverage:c2:0.225@29800.00"], world.Calls.Where(c => c.StartsWith("deleverage", StringComparison.Ordinal)));
        Assert.Equal(1, world.Count($"execute:{Id}:full:BTCUSDT:2:Sell:0.375"));
        Assert.Equal(["adl", "adl", "full", "fund-payout"], work.Steps.Select(s => s.Kind));
        Assert.Equal(["c1", "c2"], work.Steps.Where(s => s.Kind == "adl").Select(s => s.Counterparty));
        Assert.Equal(1, world.Count("payout:300"));
        Assert.Equal(0m, end?.Settlement?.Deficit);
        Assert.Equal(0m, world.Size);
    }

    [Fact]
    public async Task A_counterparty_that_takes_nothing_passes_its_match_to_the_next()
    {
        var world = new FakeLiquidationSteps { FillPrice = 29_000m, FundBalance = 300m };
        world.Counterparties.AddRange([("c1", 0m), ("c2", 1m)]);

        var (end, work) = await Run(world);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(1, world.Count("took-nothing:c1"));
        Assert.Equal(1, world.Count("deleverage:c2:0.625@29800.00"));
        Assert.Equal(["c2"], work.Steps.Where(s => s.Kind == "adl").Select(s => s.Counterparty));
    }

    [Fact]
    public async Task What_neither_the_fund_nor_adl_covers_is_left_as_a_deficit_of_the_market()
    {
        var world = new FakeLiquidationSteps { FillPrice = 29_000m, FundBalance = 300m };

        var (end, work) = await Run(world);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(1, world.Count("payout:800"));
        Assert.Equal(1, world.Count("apply-payout:300"));
        Assert.Equal(1, world.Count("deficit:500"));
        Assert.Equal(["full", "fund-payout", "deficit"], work.Steps.Select(s => s.Kind));
        Assert.Equal(500m, end?.Settlement?.Deficit);
    }

    [Fact]
    public async Task A_fill_that_reopened_the_scope_sends_the_waterfall_back_to_the_full_step()
    {
        var world = new FakeLiquidationSteps();
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot, Stage = LiquidationStage.Waterfall };

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Null(end);
        Assert.Equal(LiquidationStage.Full, work.Stage);
        Assert.Equal(0, world.Count("payout"));
        Assert.Equal(0, world.Count("settle"));
    }

    [Fact]
    public async Task A_fill_the_coordinator_was_never_told_of_is_read_back_once_when_the_settlement_is_refused_and_closed()
    {
        // The trader's fill reopens the scope just as the full step has closed it, and its push to the coordinator
        // is lost: the snapshot the coordinator holds says flat.
        var world = new FakeLiquidationSteps { Mark = 29_000m, FillPrice = 29_000m, ReopenBeforeSettle = 0.3m };
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };

        Assert.Null(await Machine(world, breach, work).Advance(() => false));
        Assert.Equal(LiquidationStage.Full, work.Stage);
        Assert.Equal(1, world.Count("settle-refused"));
        Assert.Equal(1, world.Count("read"));

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(0m, world.Size);
        Assert.Equal(1, world.Count("apply:full:BTCUSDT:1:0.3@29000"));
        Assert.Equal(1, world.Count("settle-refused"));
        Assert.Equal(1, world.Count("read"));
    }

    [Fact]
    public async Task After_an_unreachable_executor_the_same_order_is_sent_again()
    {
        var world = new FakeLiquidationSteps { PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        world.FailOnce("execute");
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Machine(world, breach, work).Advance(() => false));
        Assert.Equal(LiquidationStage.Partial, work.Stage);
        Assert.Null(work.Partial?.Price);

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(1, world.Count("plan-partial"));
        Assert.Equal(1, world.Count($"execute:{Id}:partial:Sell:0.5"));
    }

    [Fact]
    public async Task After_an_unreachable_account_the_saved_fill_is_applied_without_filling_again()
    {
        var world = new FakeLiquidationSteps { PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        world.FailOnce("apply:partial");
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Machine(world, breach, work).Advance(() => false));
        Assert.Equal(29_850m, work.Partial?.Price);
        Assert.False(work.Partial?.Done);

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(1, world.Count($"execute:{Id}:partial"));
        Assert.Equal(1, world.Count("apply:partial"));
    }

    [Fact]
    public async Task After_an_unreachable_fund_the_settlement_is_not_repeated()
    {
        var world = new FakeLiquidationSteps { PartialPlan = new PartialPlan(FakeLiquidationSteps.Symbol, 0.5m) };
        world.FailOnce("fee");
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Machine(world, breach, work).Advance(() => false));
        Assert.NotNull(work.Settlement);

        var end = await Machine(world, breach, work).Advance(() => false);

        Assert.Equal("closed", end?.Status);
        Assert.Equal(1, world.Count("settle"));
        Assert.Equal(1, world.Count("fee:"));
    }

    private static async Task<(LiquidationEnd? End, LiquidationWork Work)> Run(FakeLiquidationSteps world)
    {
        var breach = world.Breach();
        var work = new LiquidationWork { Scope = breach.Snapshot };
        var end = await Machine(world, breach, work).Advance(() => false);
        return (end, work);
    }

    private static LiquidationMachine Machine(FakeLiquidationSteps world, BreachReport breach, LiquidationWork work) =>
        new(Id, breach, work, world);

    private static int Index(FakeLiquidationSteps world, string prefix) =>
        world.Calls.FindIndex(c => c.StartsWith(prefix, StringComparison.Ordinal)) is var i and >= 0
            ? i
            : throw new InvalidOperationException($"no call {prefix} in {string.Join(", ", world.Calls)}");
}
