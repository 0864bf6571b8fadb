using MarginGrid.Abstractions.Accounts;
using MarginGrid.Grains.Markets;

namespace MarginGrid.Grid.Tests.Shards;

/// <summary>The band index picks exactly the holders a full scan of every band would pick, through random reports, removals and marks.</summary>
public sealed class HolderBandIndexTests
{
    [Fact]
    public void Targets_are_exactly_the_holders_whose_band_does_not_hold_the_mark()
    {
        var random = new Random(20261124);
        var index = new HolderBandIndex();
        var reports = new Dictionary<string, HolderReport?>(StringComparer.Ordinal);
        for (var step = 0; step < 20_000; step++)
        {
            var id = $"a{random.Next(300)}";
            switch (random.Next(10))
            {
                case 0:
                    index.Remove(id);
                    reports.Remove(id);
                    break;
                case 1:
                    index.Set(id, null);
                    reports[id] = null;
                    break;
                default:
                    var low = random.Next(4) == 0 ? (decimal?)null : random.Next(900, 1_000);
                    var high = random.Next(4) == 0 ? (decimal?)null : random.Next(1_000, 1_100);
                    var report = new HolderReport(1m, 0m, low, high, Banded: random.Next(8) != 0, Stamp: step, Level: random.Next(4), Notional: random.Next(1, 100));
                    index.Set(id, report);
                    reports[id] = report;
                    break;
            }

            var price = (decimal)random.Next(850, 1_150);
            var targets = new List<string>();
            index.Targets(price, targets);
            var expected = reports.Where(r => r.Value is not { } report || !report.Holds(price)).Select(r => r.Key).Order(StringComparer.Ordinal);
            Assert.Equal(expected, targets.Order(StringComparer.Ordinal));
            Assert.Equal(reports.Values.Where(r => r is { Level: >= 2 }).Sum(r => r!.Notional), index.AtRiskNotional);
        }
    }
}
