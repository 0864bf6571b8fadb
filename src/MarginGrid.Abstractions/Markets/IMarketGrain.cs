using MarginGrid.Abstractions.Common;

namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// One perpetual market (key: symbol). Owns the versioned definition, the mark and index prices, premium
/// samples and funding; pushes marks and funding to its holders through its shards.
/// </summary>
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the market: a new version; the old ones stay in the audit.</summary>
    Task<CommandResult<MarketView>> Define(MarketSpec spec);

    /// <summary>The market, or null when it was never defined.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<MarketView?> Get();

    /// <summary>Every version of the definition, oldest first.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<MarketSpecVersion>> History();

    /// <summary>
    /// The definition and newest mark, for a silo whose mark table has not seen this market yet; null when
    /// undefined. A read: it interleaves with the market's own work (a funding fan-out).
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<MarketQuote?> Quote();

    /// <summary>
    /// A mark from the exchange's mark-price service; answers with the market's view, whose holder figures are
    /// those the shards returned with their last delivery (accepting a mark asks no shard).
    /// </summary>
    Task<CommandResult<MarketView>> SetMarkPrice(decimal price);

    /// <summary>
    /// A mark from a price feed: accepted and fanned out, answered with its sequence only (no view, which
    /// asks every shard). Interleaves, so that marks keep flowing while a funding settlement is being
    /// delivered to every holder.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<CommandResult<long>> AcceptMark(decimal price);

    /// <summary>An index tick, optionally with impact prices: the market derives its mark and a premium sample.</summary>
    Task<CommandResult<MarketView>> SetIndexPrice(decimal price, decimal? impactBid, decimal? impactAsk);

    /// <summary>Settles funding now at <paramref name="rate"/>, or at the rate from the premium samples; once per id.</summary>
    Task<CommandResult<FundingResult>> Settle(string settlementId, decimal? rate);

    /// <summary>Every funding round the market recorded in the ledger, oldest first (a read: it activates nothing new).</summary>
    // Interleaves with everything, a settlement included: a settlement waits on holders that ask for the rounds.
    [Orleans.Concurrency.AlwaysInterleave]
    Task<System.Collections.Immutable.ImmutableArray<FundingSettlement>> FundingRounds();

    /// <summary>Records a deficit that neither the insurance fund nor ADL covered (last resort), once per liquidation.</summary>
    Task RecordDeficit(string liquidationId, decimal amount);
}
