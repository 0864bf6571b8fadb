using MarginGrid.Abstractions.Markets;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Markets;

/// <summary>This silo's end of the mark relay: every market's newest mark into this silo's table.</summary>
public sealed class MarkRelayService(GrainId id, Silo silo, ILoggerFactory loggerFactory, MarketDirectory directory)
    : GrainService(id, silo, loggerFactory), IMarkRelay
{
    public Task Publish(MarketQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        directory.Observe(quote);
        return Task.CompletedTask;
    }

    public Task PublishRound(FundingSettlement round)
    {
        ArgumentNullException.ThrowIfNull(round);
        directory.ObserveRound(round);
        return Task.CompletedTask;
    }
}
