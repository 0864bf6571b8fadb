using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A market's side of the mark relay: each accepted mark goes once to every active silo's table, apart from
/// the fan-out to holders, so a slow fan-out never delays what reads see. Each silo has its own latest-wins
/// pump, so a silo that hangs (it died, and membership has not said so yet) holds back only itself; a silo
/// that fails is logged and gets the next mark, which carries the whole quote. Grain-scheduled: not
/// thread-safe, and needs none.
/// </summary>
public sealed class MarkPublisher(IClusterMembershipService membership, MarkRelayClient relays, ILogger logger)
{
    private readonly Dictionary<SiloAddress, LatestWinsPump<MarketQuote>> _silos = [];

    /// <summary>Completes once this quote (or a newer one) reached every silo that was active then.</summary>
    public Task Publish(MarketQuote quote)
    {
        var active = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToHashSet();
        foreach (var gone in _silos.Keys.Where(s => !active.Contains(s)).ToList())
        {
            _silos.Remove(gone);
        }

        var sends = new List<Task>(active.Count);
        foreach (var silo in active)
        {
            if (!_silos.TryGetValue(silo, out var pump))
            {
                pump = _silos[silo] = new LatestWinsPump<MarketQuote>(q => PublishTo(silo, q));
            }

            sends.Add(pump.Submit(quote));
        }

        return Task.WhenAll(sends);
    }

    /// <summary>
    /// Sends a recorded funding round to every active silo's table and completes when each answered or failed
    /// (logged): rounds are few, and each one counts, so none is conflated.
    /// </summary>
    public Task PublishRound(FundingSettlement round) =>
        Task.WhenAll(membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .Select(m => PublishRoundTo(m.SiloAddress, round)));

    private async Task PublishRoundTo(SiloAddress silo, FundingSettlement round)
    {
        try
        {
            await relays.On(silo).PublishRound(round);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // That silo reads the market's rounds again once its table entry is older than the directory's confirmation window.
            logger.LogWarning(error, "Publishing funding round {Settlement} of {Symbol} to silo {Silo} failed", round.SettlementId, round.Symbol, silo);
        }
    }

    private async Task PublishTo(SiloAddress silo, MarketQuote quote)
    {
        try
        {
            await relays.On(silo).Publish(quote);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Publishing mark {Sequence} of {Symbol} to silo {Silo} failed", quote.Mark?.Sequence, quote.Symbol, silo);
        }
    }
}
