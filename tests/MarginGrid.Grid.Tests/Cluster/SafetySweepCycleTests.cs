using System.Diagnostics.Metrics;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// The safety net reports each cycle it completes, so operators see when the silo's budget lengthens it, and
/// runs at the configured cycle (counted in slices, not measured in time).
/// </summary>
public sealed class SafetySweepCycleTests
{
    private static readonly MarketSpec Spec = Specs.LinearSpec("SWUSD");

    [Fact]
    public async Task A_shard_records_each_completed_sweep_cycle()
    {
        var cycles = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GridMetrics.MeterName && instrument.Name == "margingrid.safety_sweep.cycle.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (cycles)
            {
                cycles.Add(seconds);
            }
        });
        listener.Start();

        await using var grid = await TwoSiloCluster.Start(o =>
        {
            o.SafetySweepInterval = TimeSpan.FromMilliseconds(200);
            o.SafetySweepCycle = TimeSpan.FromMilliseconds(400);
        });
        var market = grid.Client.GetGrain<IMarketGrain>("SWEEPUSDT");
        Assert.True((await market.Define(Spec)).Succeeded);
        Assert.True((await market.SetMarkPrice(1000m)).Succeeded);
        var account = grid.Client.GetGrain<IAccountGrain>("sweep-1");
        Assert.True((await account.Deposit("d1", "SWUSD", 1000m)).Succeeded);
        Assert.True((await account.ChangeSettings("SWEEPUSDT", PositionMarginMode.Cross, 10)).Succeeded);
        Assert.True((await account.ApplyFill("f1", "SWEEPUSDT", OrderSide.Buy, 1m, 1000m, 0m)).Succeeded);

        await Eventually.Get(() => Task.FromResult(Count(cycles)), n => n >= 2, "two completed sweep cycles recorded");

        // The cycle in effect in every silo is the configured one: a shard's sweep there reaches each of its
        // holders once in cycle / interval slices (400 ms / 200 ms), not in the defaults' 30.
        foreach (var silo in grid.Cluster.Silos)
        {
            var options = silo.ServiceProvider.GetRequiredService<IOptions<GridOptions>>().Value;
            var sweep = new SafetySweepCursor(options.SafetySweepInterval, options.SafetySweepCycle);
            sweep.Restart([.. Enumerable.Range(0, 100).Select(i => $"holder-{i}")]);
            var slices = 0;
            while (!sweep.CycleDone)
            {
                sweep.NextSlice(int.MaxValue, _ => true);
                slices++;
            }

            Assert.Equal(2, slices);
        }
    }

    private static int Count(List<double> cycles)
    {
        lock (cycles)
        {
            return cycles.Count;
        }
    }
}
