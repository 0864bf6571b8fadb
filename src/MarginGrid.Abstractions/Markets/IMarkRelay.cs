using Orleans.Services;

namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// One per silo (a grain service): receives every accepted mark of every market, once per silo, into that
/// silo's mark table. Reads and money decisions on the silo take their marks from that table, so price
/// bands can skip deliveries to accounts without any read ever seeing an old mark.
/// </summary>
public interface IMarkRelay : IGrainService
{
    /// <summary>A market's definition and newest mark; an older one than the table holds is ignored.</summary>
    Task Publish(MarketQuote quote);

    /// <summary>A market's newly recorded funding round, so that every read on this silo counts it at once.</summary>
    Task PublishRound(FundingSettlement round);
}
