using System.Diagnostics;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>Polls a condition. The bounds are generous liveness limits, not performance assertions.</summary>
public static class Until
{
    /// <summary>Polls until the condition holds; fails the test with <paramref name="failure"/> when time is up.</summary>
    public static async Task True(Func<Task<bool>> condition, TimeSpan within, string failure) =>
        Assert.True(await Polled(condition, within), $"{failure} within {within.TotalSeconds:0} s.");

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
