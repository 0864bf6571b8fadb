using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// One shard of a market's holders (key: <c>"{symbol}/{k}"</c>): a persisted registry of the accounts that
/// hold the market, and the fan-out of marks (conflated: latest wins while a pass is in flight) and funding.
/// </summary>
public interface IMarketShardGrain : IGrainWithStringKey
{
    Task Join(string accountId);

    Task Leave(string accountId);

    /// <summary>Delivers a mark to every holder; completes when they have all evaluated this mark or a newer one.</summary>
    Task Deliver(MarkUpdate update);

    /// <summary>Settles funding on every holder; returns how many it reached.</summary>
    Task<int> SettleFunding(FundingSettlement settlement);

    /// <summary>Holders on the given side (+1 long, −1 short), best ADL score first.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<ImmutableArray<AdlCandidateView>> AdlCandidates(int side, int max);

    /// <summary>The ADL quantile (5 first, 1 last) of an account among this shard's holders on its side; null when unknown.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<int?> AdlQuantile(string accountId);

    [Orleans.Concurrency.ReadOnly]
    Task<ShardStats> Stats();
}
