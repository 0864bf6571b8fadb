namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// One partition of the liquidation coordinator (key: partition number, from the account id). Runs each
/// liquidation as a persisted state machine and hands each finished record to the archive. Never a single hot grain.
/// </summary>
public interface ILiquidationCoordinatorGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Accepts a breach; a repeat of the same breach, or of a scope already being liquidated, starts nothing new.
    /// Interleaves, so the escalations of a cascade share the partition's state writes.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string> Escalate(BreachReport breach);

    /// <summary>
    /// An account whose breach is with the coordinator changed by a command of its own (a deposit, a fill): its
    /// new scope replaces the one the running liquidation holds, so a cured scope is not closed on old figures.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task ScopeChanged(string accountId, ScopeState scope);

    /// <summary>A running liquidation, or a finished one still waiting for the archive; null otherwise.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<LiquidationRecord?> Get(string liquidationId);

    /// <summary>Runs whatever is pending now (a reminder does it too); returns how many are still running.</summary>
    Task<int> Resume();
}
