using System.Diagnostics;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>Polls a condition. The bounds are generous liveness limits, not performance assertions.</summary>
public static class Until
{
    public static async Task<TimeSpan> True(Func<Task<bool>> condition, TimeSpan within, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{failure} within {within.TotalSeconds:0} s.");
        return clock.Elapsed;
    }
}
