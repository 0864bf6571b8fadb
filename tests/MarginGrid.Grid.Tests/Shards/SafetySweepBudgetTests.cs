using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grid.Tests.Shards;

/// <summary>The safety net's silo-wide budget: a token bucket over the re-checks, refilled with time, capped at one interval.</summary>
public sealed class SafetySweepBudgetTests
{
    [Fact]
    public void Grants_at_most_one_interval_of_the_rate_then_refills_with_time()
    {
        var clock = new SteppedClock();
        var budget = Budget(perSecond: 100, interval: TimeSpan.FromSeconds(10), clock);

        Assert.Equal(1_000, budget.Take(5_000));
        Assert.Equal(0, budget.Take(1));

        clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(250, budget.Take(5_000));

        // Idle time never banks more than one interval's worth.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1_000, budget.Take(5_000));
    }

    [Fact]
    public void Returned_checks_can_be_taken_again()
    {
        var clock = new SteppedClock();
        var budget = Budget(perSecond: 10, interval: TimeSpan.FromSeconds(1), clock);

        Assert.Equal(10, budget.Take(10));
        budget.Return(4);
        Assert.Equal(4, budget.Take(10));
        Assert.Equal(0, budget.Take(10));
    }

    [Fact]
    public void A_zero_rate_means_no_cap()
    {
        var budget = Budget(perSecond: 0, interval: TimeSpan.FromSeconds(10), new SteppedClock());

        Assert.Equal(1_000_000, budget.Take(1_000_000));
        Assert.Equal(1_000_000, budget.Take(1_000_000));
        Assert.Equal(0, budget.Take(0));
    }

    private static SafetySweepBudget Budget(int perSecond, TimeSpan interval, TimeProvider clock) =>
        new(Options.Create(new GridOptions { SafetySweepMaxPerSecond = perSecond, SafetySweepInterval = interval }), clock);

    /// <summary>A clock that moves only when told to.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
