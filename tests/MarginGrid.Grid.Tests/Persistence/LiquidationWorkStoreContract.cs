using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Liquidations;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginGrid.Grid.Tests.Persistence;

/// <summary>
/// What every <see cref="ILiquidationWorkStore"/> promises, run against the in-process store here and against a
/// real PostgreSQL by the cluster tests (this file is linked there).
/// </summary>
public static class LiquidationWorkStoreContract
{
    public static ServiceProvider Serialization() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(StoredLiquidation).Assembly)).BuildServiceProvider();

    /// <summary>Runs the promises on <paramref name="partition"/> and returns the partition's last fence.</summary>
    public static async Task<long> Holds(ILiquidationWorkStore store, long partition)
    {
        var start = await store.TakeOver(partition);
        Assert.Empty(start.Liquidations);

        var running = Entry(partition, 1, running: true);
        var finished = Entry(partition, 2, running: false);
        await store.Write(partition, start.Fence, [running, finished], []);
        // The store copied what it was given: the caller's later changes are not in it until written.
        running.Work!.FeeCharge = 99m;
        Assert.Empty((await store.TakeOver(partition + 1)).Liquidations);

        var taken = await store.TakeOver(partition);
        Assert.True(taken.Fence > start.Fence);
        var read = taken.Liquidations.OrderBy(l => l.Record.Sequence).ToList();
        Assert.Equal([Id(partition, 1), Id(partition, 2)], read.Select(l => l.Record.LiquidationId));
        Assert.Equal(12.345678901234567890123456789m, read[0].Work!.FundPayout);
        Assert.Equal(LiquidationStage.Full, read[0].Work!.Stage);
        Assert.Equal(["b-later"], read[0].Work!.MergedBreaches);
        Assert.Equal(new MarkAtBreach("BTC-PERP", 60_000.5m, 7), Assert.Single(read[0].Record.Breach.Marks));
        Assert.Null(read[1].Work);

        // The activation that was taken over is refused, and its write changes nothing.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            store.Write(partition, start.Fence, [Entry(partition, 3, running: true)], [Id(partition, 1)]));

        // The newest activation changes one and removes the other in one write.
        await store.Write(partition, taken.Fence, [running], [Id(partition, 2)]);
        var last = await store.TakeOver(partition);
        var only = Assert.Single(last.Liquidations);
        Assert.Equal(Id(partition, 1), only.Record.LiquidationId);
        Assert.Equal(99m, only.Work!.FeeCharge);
        return last.Fence;
    }

    private static string Id(long partition, int number) => $"L{partition}-{number}";

    private static StoredLiquidation Entry(long partition, int number, bool running)
    {
        var scope = new ScopeKey("USDT", null);
        var snapshot = new ScopeState(scope, true, false, 100m, -5m, 10m, [new ScopePosition("BTC-PERP", 0.5m, 60_000m, 60_000.5m, 1)], 4);
        var breach = new BreachReport($"b{number}", $"acct-{number}", scope, -5m, 10m, [new MarkAtBreach("BTC-PERP", 60_000.5m, 7)],
            DateTimeOffset.UnixEpoch, snapshot);
        var record = new LiquidationRecord(Id(partition, number), breach, running ? "running" : "full", [], 0m, 0m, 0m, 0m,
            DateTimeOffset.UnixEpoch, running ? null : DateTimeOffset.UnixEpoch.AddSeconds(1), null, number);
        var work = running
            ? new LiquidationWork { Stage = LiquidationStage.Full, FundPayout = 12.345678901234567890123456789m, MergedBreaches = ["b-later"], Scope = snapshot }
            : null;
        return new StoredLiquidation(record, work);
    }
}
