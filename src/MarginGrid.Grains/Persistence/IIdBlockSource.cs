namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Numbers for ids that key money (a liquidation's id keys its fee and payout in the fund's ledger), handed out
/// in blocks that are durable before they are returned and never handed out again, whatever the grain state
/// store (Redis) loses or rolls back. Unused numbers of a block whose holder died are skipped: ids have gaps.
/// Failures are <see cref="EventLogUnavailableException"/>.
/// </summary>
public interface IIdBlockSource
{
    /// <summary>Reserves <paramref name="count"/> consecutive numbers of <paramref name="counter"/>; returns the first.</summary>
    Task<long> Reserve(IdCounter counter, int count);
}
