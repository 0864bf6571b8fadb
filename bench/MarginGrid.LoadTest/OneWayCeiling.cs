using System.Diagnostics;

namespace MarginGrid.LoadTest;

/// <summary>Plain one-way grain calls per second in this process: 1,000 probe grains, activated first, then pinged in a loop.</summary>
public static class OneWayCeiling
{
    public static async Task<double> CallsPerSecond(IGrainFactory grains, int calls = 400_000, int targets = 1_000)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var probes = Enumerable.Range(0, targets).Select(i => grains.GetGrain<ICeilingProbeGrain>(i)).ToArray();
        var warm = CeilingProbeGrain.Received + targets;
        foreach (var probe in probes)
        {
            await probe.Ping();
        }

        await WaitFor(warm);
        var target = CeilingProbeGrain.Received + calls;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            await probes[i % targets].Ping();
        }

        await WaitFor(target);
        return Math.Round(calls / clock.Elapsed.TotalSeconds);
    }

    private static async Task WaitFor(long count)
    {
        while (CeilingProbeGrain.Received < count)
        {
            await Task.Delay(1);
        }
    }
}
