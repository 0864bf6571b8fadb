using MarginGrid.LoadTest.Trading;

namespace MarginGrid.LoadTest.Tests;

public sealed class CommandCheckTests
{
    private static JournalEntry Leg(string id, string account, CommandOutcome outcome, decimal fee = 0.01m) =>
        new(id, account, "L00USDT", "buy", 1m, 100m, fee) { Outcome = outcome, Attempts = 1 };

    private static LedgerReading Ledger(Dictionary<string, int> rows, Dictionary<string, decimal> fees) => new(rows, fees);

    [Fact]
    public void A_journal_that_matches_the_ledger_is_clean()
    {
        JournalEntry[] journal = [Leg("f1-b", "a", CommandOutcome.Acknowledged), Leg("f1-s", "b", CommandOutcome.Acknowledged), Leg("f2-b", "a", CommandOutcome.Refused)];

        var result = CommandCheck.Compare(journal, Ledger(new() { ["f1-b"] = 1, ["f1-s"] = 1 }, new() { ["a"] = 0.01m, ["b"] = 0.01m }));

        Assert.True(result.Clean);
        Assert.Equal(3, result.Checked);
        Assert.Empty(result.Examples);
    }

    [Fact]
    public void An_acknowledged_command_missing_from_the_ledger_is_lost_and_its_account_out_of_balance()
    {
        JournalEntry[] journal = [Leg("f1-b", "a", CommandOutcome.Acknowledged), Leg("f1-s", "b", CommandOutcome.Acknowledged)];

        var result = CommandCheck.Compare(journal, Ledger(new() { ["f1-b"] = 1 }, new() { ["a"] = 0.01m }));

        Assert.Equal(1, result.Lost);
        Assert.Equal(0, result.Duplicated);
        Assert.Equal(1, result.BalanceMismatches);
        Assert.False(result.Clean);
        Assert.Contains(result.Examples, e => e.StartsWith("lost: f1-s on b", StringComparison.Ordinal));
    }

    [Fact]
    public void A_command_applied_twice_is_duplicated()
    {
        JournalEntry[] journal = [Leg("f1-b", "a", CommandOutcome.Acknowledged)];

        var result = CommandCheck.Compare(journal, Ledger(new() { ["f1-b"] = 2 }, new() { ["a"] = 0.02m }));

        Assert.Equal(0, result.Lost);
        Assert.Equal(1, result.Duplicated);
        Assert.Equal(1, result.BalanceMismatches);
    }

    [Fact]
    public void A_refused_or_unsent_command_in_the_ledger_is_a_ghost()
    {
        JournalEntry[] journal = [Leg("f1-b", "a", CommandOutcome.Refused)];

        var result = CommandCheck.Compare(journal, Ledger(new() { ["f1-b"] = 1, ["f9-s"] = 1 }, new()));

        Assert.Equal(2, result.Ghosts);
        Assert.Equal(0, result.Lost);
        Assert.False(result.Clean);
    }

    [Fact]
    public void A_command_never_answered_is_unresolved_not_lost()
    {
        JournalEntry[] journal = [Leg("f1-b", "a", CommandOutcome.Unknown)];

        var result = CommandCheck.Compare(journal, Ledger(new(), new()));

        Assert.Equal(1, result.Unresolved);
        Assert.Equal(0, result.Lost);
        Assert.False(result.Clean);
    }

    [Fact]
    public void The_modelled_fees_are_compared_exactly()
    {
        JournalEntry[] journal = [Leg("f1-b", "a", CommandOutcome.Acknowledged, 0.01m), Leg("f2-b", "a", CommandOutcome.Acknowledged, 0.01m)];

        var exact = CommandCheck.Compare(journal, Ledger(new() { ["f1-b"] = 1, ["f2-b"] = 1 }, new() { ["a"] = 0.02m }));
        var offByOneUnit = CommandCheck.Compare(journal, Ledger(new() { ["f1-b"] = 1, ["f2-b"] = 1 }, new() { ["a"] = 0.02000001m }));

        Assert.True(exact.Clean);
        Assert.Equal(1, offByOneUnit.BalanceMismatches);
    }
}
