using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// The silo's budget for funding deliveries: at most <see cref="GridOptions.FundingConcurrency"/> in flight across
/// every shard of every market. A funding round reaches every holder of every market at once; with only a
/// per-shard window, 800 shards put thousands of calls in the scheduler's queues and each hop of a tick's fan-out
/// waited behind them. Funding is not latency-critical; marks are.
/// </summary>
public sealed class FundingGate(IOptions<GridOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.FundingConcurrency));

    public async Task Run(Func<Task> delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await _slots.WaitAsync();
        try
        {
            await delivery();
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
