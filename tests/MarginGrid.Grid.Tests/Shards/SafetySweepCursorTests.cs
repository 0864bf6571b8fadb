using MarginGrid.Grains.Markets;

namespace MarginGrid.Grid.Tests.Shards;

/// <summary>The sweep's cycle, counted in slices: the configured cycle over the configured interval, longer only when the budget grants less.</summary>
public sealed class SafetySweepCursorTests
{
    private static readonly string[] Holders = [.. Enumerable.Range(0, 10).Select(i => $"a{i}")];

    [Theory]
    [InlineData(200, 1_000, 5)]
    [InlineData(200, 400, 2)]
    [InlineData(1_000, 1_000, 1)]
    [InlineData(10_000, 300_000, 10)]
    public void A_cycle_lasts_the_configured_cycle_in_slices_and_looks_at_every_holder_once(int intervalMs, int cycleMs, int slices)
    {
        var cursor = new SafetySweepCursor(TimeSpan.FromMilliseconds(intervalMs), TimeSpan.FromMilliseconds(cycleMs));
        Assert.True(cursor.CycleDone);
        cursor.Restart(Holders);

        var seen = new List<string>();
        var taken = 0;
        while (!cursor.CycleDone)
        {
            seen.AddRange(cursor.NextSlice(int.MaxValue, _ => true));
            taken++;
        }

        // With 10 holders a slice of a 300 s cycle at 10 s rounds up to one holder: 10 slices, not 30.
        Assert.Equal(Math.Min(slices, Holders.Length), taken);
        Assert.Equal(Holders, seen);
    }

    [Fact]
    public void A_smaller_grant_lengthens_the_cycle_and_skips_no_one()
    {
        var cursor = new SafetySweepCursor(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        cursor.Restart(Holders);

        var seen = new List<string>();
        var slices = 0;
        while (!cursor.CycleDone)
        {
            seen.AddRange(cursor.NextSlice(1, _ => true));
            slices++;
        }

        Assert.Equal(10, slices);
        Assert.Equal(Holders, seen);
    }

    [Fact]
    public void Holders_that_are_not_due_are_passed_over_without_using_the_grant()
    {
        var cursor = new SafetySweepCursor(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        cursor.Restart(Holders);

        var picked = cursor.NextSlice(2, id => id != "a0");

        Assert.Equal(["a1"], picked);
        Assert.Equal(2, cursor.Position);
    }
}
