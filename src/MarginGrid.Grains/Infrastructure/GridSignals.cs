using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// In-process notifications of the grid's milestones, for a host that measures them end to end (the load
/// test takes latency from each tick's intended send time, which only the sender knows). Handlers run on the
/// grain's turn: they must be quick and must not call grains.
/// </summary>
public sealed class GridSignals
{
    /// <summary>A market accepted a mark: symbol and its sequence.</summary>
    public event Action<string, long>? MarkAccepted;

    /// <summary>Every shard of a market finished delivering a mark (and so every older one): symbol and sequence.</summary>
    public event Action<string, long>? FanoutCompleted;

    /// <summary>A coordinator accepted a breach.</summary>
    public event Action<BreachReport>? BreachAccepted;

    internal void OnMarkAccepted(string symbol, long sequence) => MarkAccepted?.Invoke(symbol, sequence);

    internal void OnFanoutCompleted(string symbol, long sequence) => FanoutCompleted?.Invoke(symbol, sequence);

    internal void OnBreachAccepted(BreachReport breach) => BreachAccepted?.Invoke(breach);
}
