using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// The archive down, or losing its confirmations: liquidations still end, their records wait in the coordinator's
/// state (readable by id), and reach the archive exactly once when it answers again.
/// </summary>
public sealed class ArchiveOutageTests
{
    [Fact]
    public async Task Liquidations_end_while_the_archive_is_down_and_their_records_arrive_once_when_it_is_back()
    {
        var archive = new SwitchableArchive { Down = true };
        await using var grid = await TwoSiloCluster.Start(archive: archive);
        var history = grid.Client.GetGrain<ILiquidationHistoryGrain>(0);

        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Escalate(grid, $"outage-{i}")));
        foreach (var id in ids)
        {
            // Ended, and read from its coordinator: the archive has not confirmed it.
            await Eventually.Get(() => history.Get(id), r => r?.Status == "cancelled", $"{id} ending while the archive is down");
        }

        await Eventually.Get(() => Task.FromResult(archive.Appends), n => n > 1, "a retried append");
        Assert.Empty(await archive.All());

        archive.Down = false;
        var archived = await Eventually.Get(archive.All, a => a.Count == ids.Length, "the held records archived", seconds: 120);
        Assert.Equal(ids.Order(StringComparer.Ordinal), archived.Select(r => r.LiquidationId).Order(StringComparer.Ordinal));
        Assert.All(archived, r => Assert.Equal("cancelled", r.Status));
    }

    [Fact]
    public async Task An_append_whose_confirmation_was_lost_is_retried_and_stored_once()
    {
        var archive = new SwitchableArchive { LoseConfirmations = true };
        await using var grid = await TwoSiloCluster.Start(archive: archive);
        var history = grid.Client.GetGrain<ILiquidationHistoryGrain>(0);

        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Escalate(grid, $"lost-{i}")));
        await Eventually.Get(archive.All, a => a.Count == ids.Length, "the records appended");

        // Every record stays with its coordinator until a confirmed append; the retries add nothing.
        var before = archive.Appends;
        await Eventually.Get(() => Task.FromResult(archive.Appends), n => n > before, "a retry of an unconfirmed append");
        archive.LoseConfirmations = false;
        await Eventually.Get(async () => (await history.Page(new LiquidationQuery(null, null, null, null, false, null, 100))).Items.Length,
            n => n == ids.Length, "every record listed");
        var archived = await archive.All();
        Assert.Equal(ids.Order(StringComparer.Ordinal), archived.Select(r => r.LiquidationId).Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            Assert.Equal("cancelled", (await history.Get(id))!.Status);
        }
    }

    private static Task<string> Escalate(TwoSiloCluster grid, string account)
    {
        var scope = new ScopeKey("OUT", null);
        var snapshot = new ScopeState(scope, false, false, 0m, 0m, 0m, [], 1);
        return grid.Client.GetGrain<ILiquidationCoordinatorGrain>(LiquidationPartitions.Of(account)).Escalate(
            new BreachReport($"breach-{account}", account, scope, 0m, 0m, [new MarkAtBreach("OUTUSDT", 100m, 1)], DateTimeOffset.UtcNow, snapshot));
    }
}
