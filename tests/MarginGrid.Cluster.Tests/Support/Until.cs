using System.Diagnostics;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>Polls a condition. The bounds are generous liveness limits, not performance assertions.</summary>
public static class Until
{
    public static async Task<TimeSpan> True(Func<Task<bool>> condition, TimeSpan within, string failure)
    {
        var clock = Stopwatch.StartNew();
        Assert.True(await Polled(condition, within), $"{failure} within {within.TotalSeconds:0} s.");
        return clock.Elapsed;
    }

    /// <summary>Polls until the condition holds or time is up; false when it never held.</summary>
    public static async Task<bool> Polled(Func<Task<bool>> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }
}
