using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// Each silo of a cluster has its own instruments: what a market records is counted by the silo that hosts it,
/// and a listener reads it there (no process-wide counter adds the silos together).
/// </summary>
public sealed class SiloMetricsTests
{
    [Fact]
    public async Task A_markets_marks_are_counted_by_its_own_silo_only()
    {
        await using var grid = await TwoSiloCluster.Start();
        var silos = grid.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<GridMetrics>()).ToList();
        Assert.NotSame(silos[0], silos[1]);
        using var first = new GridTotals(silos[0]);
        using var second = new GridTotals(silos[1]);

        var market = grid.Client.GetGrain<IMarketGrain>("SMUSDT");
        Assert.True((await market.Define(Specs.LinearSpec("SMU"))).Succeeded);
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await market.AcceptMark(100m + i)).Succeeded);
        }

        var counts = (first.Read().Marks, second.Read().Marks);
        Assert.True(counts is (3, 0) or (0, 3), $"marks counted per silo: {counts}");
    }

    [Fact]
    public async Task The_fanout_probe_reports_the_sequence_a_market_accepted()
    {
        var completed = new ConcurrentQueue<(string Market, long Sequence)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GridMetrics.ProbeMeterName && instrument.Name == GridMetrics.FanoutCompletedProbe)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? market = null;
            long sequence = 0;
            foreach (var tag in tags)
            {
                market = tag.Key == "market" ? tag.Value as string : market;
                sequence = tag.Key == "sequence" && tag.Value is long s ? s : sequence;
            }

            completed.Enqueue((market!, sequence));
        });
        listener.Start();

        await using var grid = await TwoSiloCluster.Start();
        var market = grid.Client.GetGrain<IMarketGrain>("FPUSDT");
        Assert.True((await market.Define(Specs.LinearSpec("FPU"))).Succeeded);
        var accepted = await market.AcceptMark(250m);
        Assert.True(accepted.Succeeded);

        await Eventually.Get(() => Task.FromResult(completed.Any(c => c.Market == "FPUSDT" && c.Sequence >= accepted.Value)), done => done,
            $"the fan-out of FPUSDT's mark {accepted.Value} reported complete");
    }
}
