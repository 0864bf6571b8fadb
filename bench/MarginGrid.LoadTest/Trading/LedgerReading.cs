namespace MarginGrid.LoadTest.Trading;

/// <summary>
/// What the ledger holds for the load test's commands: how many times each command id was applied (its rows), and
/// each account's fee total over those commands (a balance the journal models independently).
/// </summary>
public sealed record LedgerReading(IReadOnlyDictionary<string, int> RowsByCommand, IReadOnlyDictionary<string, decimal> FeesByAccount);
