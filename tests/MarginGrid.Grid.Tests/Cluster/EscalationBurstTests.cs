using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// A crash escalates thousands of breaches at once, and a partition takes them interleaved so they share its
/// writes. Interleaved, each scope must still get exactly one liquidation: repeats of a breach arriving together,
/// also while the partition waits for a new block of liquidation numbers, join the one already started.
/// </summary>
public sealed class EscalationBurstTests
{
    private const int Partition = 3;

    [Fact]
    public async Task A_burst_of_repeated_breaches_on_one_partition_starts_one_liquidation_per_scope()
    {
        var ids = new RoundTripIdBlockSource(TimeSpan.FromMilliseconds(50));
        var archive = new SwitchableArchive();
        await using var grid = await TwoSiloCluster.Start(archive: archive, ids: ids);
        var coordinator = grid.Client.GetGrain<ILiquidationCoordinatorGrain>(Partition);

        // More scopes than a block of numbers holds, so the burst runs out of numbers part way through.
        var accounts = Enumerable.Range(0, 150).Select(i => $"burst-{i}").ToArray();
        var calls = accounts.SelectMany(account => Enumerable.Range(0, 3).Select(repeat => (account, repeat))).ToArray();
        var answers = await Task.WhenAll(calls.Select(c => coordinator.Escalate(Breach(c.account, $"{c.account}:{c.repeat}", InBreach(version: 1)))));

        var byAccount = calls.Zip(answers).GroupBy(x => x.First.account, x => x.Second).ToDictionary(g => g.Key, g => g.Distinct().ToList());
        Assert.All(byAccount, a => Assert.Single(a.Value));
        Assert.Equal(accounts.Length, byAccount.Values.Select(v => v[0]).Distinct().Count());
        Assert.True(ids.Reservations > 1, $"the burst waited for new numbers ({ids.Reservations} reservations)");

        // Every scope cured: each liquidation ends, and the archive holds exactly one record per scope.
        await Task.WhenAll(accounts.Select(a => coordinator.ScopeChanged(a, Cured())));
        var records = await Eventually.Get(archive.All, r => r.Count(x => x.Breach.AccountId.StartsWith("burst-", StringComparison.Ordinal)) >= accounts.Length,
            "a record of every scope", seconds: 120);
        var burst = records.Where(r => r.Breach.AccountId.StartsWith("burst-", StringComparison.Ordinal)).ToList();
        Assert.Equal(accounts.Order(StringComparer.Ordinal), burst.Select(r => r.Breach.AccountId).Order(StringComparer.Ordinal));
        Assert.All(burst, r => Assert.Equal("cancelled", r.Status));
        Assert.Equal(0, await coordinator.Resume());
    }

    private static readonly ScopeKey Scope = new("BURST", null);

    // A position in a market no silo has: the liquidation cannot be judged, so it waits (retried every second) until cured.
    private static ScopeState InBreach(long version) =>
        new(Scope, true, false, 10m, -5m, 50m, [new ScopePosition("BURSTNOSUCH", 1m, 100m, 100m, 1)], version);

    private static ScopeState Cured() => new(Scope, false, false, 1_000m, 1_000m, 0m, [], 2);

    private static BreachReport Breach(string account, string breachId, ScopeState snapshot) =>
        new(breachId, account, Scope, snapshot.MarginBalance, snapshot.MaintenanceMargin, [new MarkAtBreach("BURSTNOSUCH", 100m, 1)],
            DateTimeOffset.UtcNow, snapshot);
}
