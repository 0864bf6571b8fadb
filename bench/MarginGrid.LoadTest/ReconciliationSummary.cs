namespace MarginGrid.LoadTest;

/// <summary>The grid's own reconciliation after the run: exact, or its differences (at most 20 listed).</summary>
public sealed record ReconciliationSummary(bool Exact, long Transactions, long Entries, int DifferenceCount, IReadOnlyList<string> Differences);
