using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Ledger;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grid.Tests.Ledger;

/// <summary>Reconciliation finds each kind of difference it claims to find, and none in a consistent ledger.</summary>
public sealed class LedgerReconciliationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_consistent_ledger_is_exact()
    {
        var reconciliation = Consistent();
        reconciliation.CompareLive("account", LedgerAccount.Wallet("alice", "USDT"), 90m);
        reconciliation.CompareLive("fund", LedgerAccount.InsuranceFund("USDT"), 1010m);

        var report = reconciliation.Report(1, 1, At);

        Assert.True(report.Exact, string.Join("; ", report.Differences));
        Assert.Equal(0m, Assert.Single(report.AssetTotals).Sum);
    }

    [Fact]
    public void A_live_balance_that_differs_from_its_entries_is_reported()
    {
        var reconciliation = Consistent();
        reconciliation.CompareLive("account", LedgerAccount.Wallet("alice", "USDT"), 91m);

        var difference = Assert.Single(reconciliation.Report(1, 1, At).Differences);

        Assert.Equal(("account", 90m, 91m), (difference.Check, difference.Expected, difference.Actual));
    }

    [Fact]
    public void A_holder_that_moved_on_is_compared_with_its_stream_read_again_and_a_wrong_balance_still_shows()
    {
        // alice holds 90 in the consistent reading; by the time she is asked she holds 95, and her stream read
        // again at her version says 95: no difference. Had she said 96, the newer reading shows it.
        var moved = Consistent();
        moved.CompareLive("account", [(LedgerAccount.Wallet("alice", "USDT"), 95m)], new Dictionary<LedgerAccount, decimal> { [LedgerAccount.Wallet("alice", "USDT")] = 95m });
        moved.CompareUnreported("account", a => a.Kind == LedgerAccountKind.Wallet);
        var wrong = Consistent();
        wrong.CompareLive("account", [(LedgerAccount.Wallet("alice", "USDT"), 96m)], new Dictionary<LedgerAccount, decimal> { [LedgerAccount.Wallet("alice", "USDT")] = 95m });
        var unreported = Consistent();
        unreported.CompareLive("account", [], new Dictionary<LedgerAccount, decimal> { [LedgerAccount.Wallet("alice", "USDT")] = 95m });

        var wrongBalance = Assert.Single(wrong.Report(1, 1, At).Differences, d => d.Check == "account");
        var missing = Assert.Single(unreported.Report(1, 1, At).Differences, d => d.Check == "account");

        Assert.Empty(moved.Report(1, 1, At).Differences.Where(d => d.Check == "account"));
        Assert.Equal((95m, 96m), (wrongBalance.Expected, wrongBalance.Actual));
        Assert.Equal((95m, 0m), (missing.Expected, missing.Actual));
    }

    [Fact]
    public void A_transaction_applied_twice_in_a_stream_is_reported_and_unbalances_the_ledger()
    {
        var reconciliation = Consistent();
        reconciliation.AddStream("account:bob", [Stored(Deposit("bob", "d1", 5m)), Stored(Deposit("bob", "d1", 5m))]);

        var report = reconciliation.Report(2, 1, At);

        Assert.Contains(report.Differences, d => d.Check == "duplicate" && d.Subject == "transfer:d1");
        Assert.False(report.Exact);
    }

    [Fact]
    public void A_fund_payout_the_account_never_received_leaves_the_ledger_off_zero()
    {
        var reconciliation = Consistent();
        var payout = InsuranceFund.PayoutTransaction("L1", LedgerAccount.Wallet("carol", "USDT"), 7m);
        reconciliation.AddStream("fund:USDT", [Stored(payout)]);

        var report = reconciliation.Report(1, 1, At);

        Assert.Contains(report.Differences, d => d.Check == "asset-total" && d.Actual == -7m);
    }

    [Fact]
    public void A_store_whose_entries_or_snapshots_disagree_with_the_events_is_reported()
    {
        var reconciliation = Consistent();
        reconciliation.CompareStore([
            new LedgerTotal(LedgerAccount.Wallet("alice", "USDT"), 90m, 95m, 2),
            new LedgerTotal(LedgerAccount.InsuranceFund("USDT"), 1000m, 1000m, 2),
        ]);

        var checks = reconciliation.Report(1, 1, At).Differences.Select(d => d.Check).Order().ToList();

        Assert.Equal(["entries", "entries", "snapshot"], checks);
    }

    /// <summary>alice deposits 100 and pays a 10 liquidation fee to the fund; the fund was seeded with 1,000.</summary>
    private static LedgerReconciliation Consistent()
    {
        var fee = LedgerTransaction.Create("liq:L0:fee", "liquidation",
            new LedgerLeg(LedgerAccount.Wallet("alice", "USDT"), -10m, EntryKind.LiquidationFee),
            new LedgerLeg(LedgerAccount.InsuranceFund("USDT"), 10m, EntryKind.LiquidationFee));
        var fundFee = new InsuranceFund("USDT").DecideFee("L0", LedgerAccount.Wallet("alice", "USDT"), 10m);
        var seed = new InsuranceFund("USDT").DecideDeposit("seed", 1000m);
        var reconciliation = new LedgerReconciliation();
        reconciliation.AddStream("account:alice", [Stored(Deposit("alice", "a1", 100m)), Stored(fee)]);
        reconciliation.AddStream("fund:USDT", [Stored(seed), Stored(fundFee)]);
        return reconciliation;
    }

    private static LedgerTransaction Deposit(string account, string transferId, decimal amount) =>
        LedgerTransaction.Create($"transfer:{transferId}", "deposit",
            new LedgerLeg(LedgerAccount.External("USDT"), -amount, EntryKind.Deposit),
            new LedgerLeg(LedgerAccount.Wallet(account, "USDT"), amount, EntryKind.Deposit));

    private static StoredEvent Stored(LedgerTransaction transaction) => new(transaction, At);
}
