using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarginGrid.Grid.Tests.Persistence;

/// <summary>The embedded default's liquidation work store keeps the same promises as the durable one.</summary>
public sealed class InProcessLiquidationWorkStoreTests
{
    [Fact]
    public async Task It_keeps_entries_per_liquidation_and_refuses_an_activation_that_was_taken_over()
    {
        using var services = LiquidationWorkStoreContract.Serialization();
        var bytes = new InProcessStateStore();
        var fence = await LiquidationWorkStoreContract.Holds(new InProcessLiquidationWorkStore(services.GetRequiredService<Serializer>(), bytes), 3);

        // Another store over the same bytes (another silo of the process) sees the partition as it was left.
        var other = await new InProcessLiquidationWorkStore(services.GetRequiredService<Serializer>(), bytes).TakeOver(3);
        Assert.Single(other.Liquidations);
        Assert.True(other.Fence > fence);
    }
}
