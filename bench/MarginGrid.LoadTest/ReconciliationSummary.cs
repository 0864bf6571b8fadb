namespace MarginGrid.LoadTest;

/// <summary>
/// The grid's own reconciliation after the run: exact, or its differences (at most 20 listed); with the funding rounds
/// it proved payments against, the payments written, and the payments still owed unwritten.
/// </summary>
public sealed record ReconciliationSummary(bool Exact, long Transactions, long Entries, int DifferenceCount, IReadOnlyList<string> Differences,
    int FundingRounds = 0, long FundingPayments = 0, long FundingDue = 0);
