namespace MarginGrid.LoadTest.Workload;

/// <summary>An account of the workload: what it deposits per asset and the positions it opens.</summary>
public sealed record PlannedAccount(string Id, IReadOnlyDictionary<string, decimal> Deposits, IReadOnlyList<PlannedPosition> Positions, bool NearBreach);
