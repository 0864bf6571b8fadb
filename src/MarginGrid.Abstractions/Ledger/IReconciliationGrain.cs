namespace MarginGrid.Abstractions.Ledger;

/// <summary>Reconciliation of the ledger against itself and against the live grains (key: "ledger").</summary>
public interface IReconciliationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks that every balance equals the sum of its ledger entries (in the store, in the events and in
    /// the live account and fund grains), that every transaction balances, and that the ledger sums to zero.
    /// </summary>
    Task<ReconciliationReport> Run();
}
