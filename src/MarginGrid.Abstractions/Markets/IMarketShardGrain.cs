using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// One shard of a market's holders (key: <c>"{symbol}/{k}"</c>): a persisted registry of the accounts that
/// hold the market, and the fan-out of marks (conflated: latest wins while a pass is in flight) and funding.
/// </summary>
public interface IMarketShardGrain : IGrainWithStringKey
{
    Task Join(string accountId);

    Task Leave(string accountId);

    /// <summary>
    /// Delivers a mark to every holder whose band does not hold it; completes when they have all evaluated this
    /// mark or a newer one, with the shard's figures (so the market answers a mark without asking its shards).
    /// </summary>
    Task<ShardStats> Deliver(MarkUpdate update);

    /// <summary>Tells every holder of a recorded funding round (in memory, no ledger write); returns how many it reached.</summary>
    Task<int> SettleFunding(FundingSettlement settlement);

    /// <summary>Has every holder write the funding it counts but has not realised (a paced walk); returns how many wrote.</summary>
    Task<int> CompactFunding();

    /// <summary>
    /// An account's new report outside a delivery (its state or another market changed its band). Returns the
    /// shard's newest mark when it is newer than the one the report was computed at and outside the new band,
    /// for the account to evaluate on its own turn: the shard never calls back into an account that is calling it.
    /// </summary>
    Task<MarkUpdate?> UpdateHolder(string accountId, HolderReport report);

    /// <summary>Holders on the given side (+1 long, −1 short), best ADL score at the silo's newest marks first.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<AdlCandidateView>> AdlCandidates(int side, int max);

    /// <summary>The ADL quantile (5 first, 1 last) of an account among this shard's holders on its side, scored at the newest marks; null when unknown.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<int?> AdlQuantile(string accountId);

    [Orleans.Concurrency.ReadOnly]
    Task<ShardStats> Stats();
}
