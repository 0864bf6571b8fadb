using System.Text.Json;
using CsCheck;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>
/// An account restored from a snapshot taken after any prefix of its events, then given the rest, is the
/// account a fold of every event gives: same version, balances, positions, settings, applied commands,
/// report and breaches, over random histories (trades, funding, liquidations, ADL) and at the bounds.
/// </summary>
public sealed class SnapshotProperties
{
    [Fact]
    public void Snapshot_at_any_version_plus_the_tail_equals_the_fold_of_every_event()
    {
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue]).Sample((seed, cut) =>
        {
            var (world, _, _) = ConservationProperties.RunHistory(seed, steps: 40);
            foreach (var (id, events) in world.Events)
            {
                var k = cut % (events.Count + 1);
                AssertSame(world, Fold(id, events), Restored(id, events, k));
            }
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Balances_at_the_bounds_and_at_the_smallest_unit_survive_a_snapshot()
    {
        var world = new World();
        world.Context.Add(TestMarkets.Linear("LIN", tick: 0.1m, lot: 0.001m), 30_000m);
        world.Run("big", a => a.DecideDeposit("max", "USDT", GridBounds.MaxAmount));
        world.Run("big", a => a.DecideDeposit("tiny", "BTC", 0.00000001m));
        world.Run("big", a => a.DecideWithdrawal("w", "USDT", GridBounds.MaxAmount - 1m, world.Context, world.Thresholds));
        world.Run("big", a => a.DecideDeposit("tiny-usdt", "USDT", 0.00000001m));
        world.Run("small", a => a.DecideDeposit("one", "USDT", 0.00000001m));
        foreach (var (id, events) in world.Events)
        {
            for (var k = 0; k <= events.Count; k++)
            {
                AssertSame(world, Fold(id, events), Restored(id, events, k));
            }
        }

        Assert.Equal(1.00000001m, Restored("big", world.Events["big"], 2).Wallet("USDT"));
        Assert.Equal(GridBounds.MaxAmount, Account.FromSnapshot(Fold("big", world.Events["big"].Take(1).ToList()).Snapshot()).Wallet("USDT"));
    }

    [Fact]
    public void A_snapshot_no_account_could_have_produced_is_refused()
    {
        var account = new Account("a");
        account.Apply(account.DecideDeposit("d", "USDT", 5m)!);
        var snapshot = account.Snapshot();
        Assert.Throws<DomainException>(() => Account.FromSnapshot(snapshot with { Version = -1 }));
        Assert.Throws<DomainException>(() => Account.FromSnapshot(snapshot with { Balances = [new AccountBalance(LedgerAccount.Wallet("other", "USDT"), 1m)] }));
    }

    private static Account Fold(string id, List<AccountEvent> events)
    {
        var account = new Account(id);
        foreach (var e in events)
        {
            account.Apply(e);
        }

        return account;
    }

    private static Account Restored(string id, List<AccountEvent> events, int k)
    {
        var account = Account.FromSnapshot(Fold(id, events.Take(k).ToList()).Snapshot());
        foreach (var e in events.Skip(k))
        {
            account.Apply(e);
        }

        return account;
    }

    private static void AssertSame(World world, Account expected, Account actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Balances, actual.Balances);
        foreach (var (key, amount) in expected.Balances)
        {
            // Scale included: 1.50 and 1.5 are equal decimals but not the same stored amount.
            Assert.Equal(amount.ToString(System.Globalization.CultureInfo.InvariantCulture), actual.Balances[key].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(expected.Positions.Values, actual.Positions.Values);
        Assert.Equal(expected.Settings, actual.Settings);
        Assert.Equal(string.Join("\n", expected.Snapshot().Commands), string.Join("\n", actual.Snapshot().Commands));
        Assert.Equal(JsonSerializer.Serialize(expected.Report(world.Context, world.Thresholds)), JsonSerializer.Serialize(actual.Report(world.Context, world.Thresholds)));
        Assert.Equal(expected.ScopesInBreach(world.Context, world.Thresholds), actual.ScopesInBreach(world.Context, world.Thresholds));
    }
}
