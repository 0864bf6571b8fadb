using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grid.Tests.Markets;

/// <summary>The silo's funding budget: never more deliveries in flight than configured, however many callers, and a failure frees its slot.</summary>
public sealed class FundingGateTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Many_concurrent_callers_never_have_more_than_the_configured_deliveries_in_flight(int concurrency)
    {
        using var gate = new FundingGate(Options.Create(new GridOptions { FundingConcurrency = concurrency }));
        var inFlight = 0;
        var most = 0;
        var delivered = 0;
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 200).Select(i => Task.Run(() => gate.Run(async () =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            if (now == concurrency)
            {
                full.TrySetResult();
            }

            // The first wave holds its slots until every slot is taken, so the gate is seen full.
            await release.Task;
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
            Interlocked.Increment(ref delivered);
        }))).ToList();

        await full.Task;
        Assert.Equal(concurrency, Volatile.Read(ref inFlight));
        release.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(200, delivered);
        Assert.Equal(concurrency, most);
        Assert.Equal(0, inFlight);
    }

    [Fact]
    public async Task A_failed_delivery_frees_its_slot()
    {
        using var gate = new FundingGate(Options.Create(new GridOptions { FundingConcurrency = 1 }));

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.Run(() => throw new InvalidOperationException("account unreachable")));
        var ran = false;
        await gate.Run(() =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
