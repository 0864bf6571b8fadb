namespace MarginGrid.Abstractions.Ledger;

/// <summary>Reconciliation of the ledger against itself and against the live grains (key: "ledger").</summary>
public interface IReconciliationGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks that every balance equals the sum of its ledger entries (in the store, in the events and in
    /// the live account and fund grains), that every transaction balances, and that the ledger sums to zero.
    /// It reads the whole ledger: minutes at a hundred thousand accounts under load, far past the 30 s a call
    /// gets by default, so the admin endpoint's call from inside the silo would time out on a large ledger.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<ReconciliationReport> Run();
}
