using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grid.Tests.Support;

/// <summary>
/// An in-memory archive that can be down (every call fails) or lose its confirmations (an append lands, then
/// fails as a lost reply would), and counts what it was asked to append.
/// </summary>
public sealed class SwitchableArchive : ILiquidationArchive
{
    private readonly InMemoryLiquidationArchive _inner = new();
    private int _appends;

    public bool Down { get; set; }

    public bool LoseConfirmations { get; set; }

    /// <summary>How many append calls reached the archive, failed ones included.</summary>
    public int Appends => Volatile.Read(ref _appends);

    public async Task Append(IReadOnlyList<LiquidationRecord> records)
    {
        Interlocked.Increment(ref _appends);
        Fail();
        await _inner.Append(records);
        if (LoseConfirmations)
        {
            throw new EventLogUnavailableException("liquidations", new TimeoutException("the confirmation was lost"));
        }
    }

    public Task<LiquidationRecord?> Find(string liquidationId)
    {
        Fail();
        return _inner.Find(liquidationId);
    }

    public Task<LiquidationPage> Page(LiquidationQuery query)
    {
        Fail();
        return _inner.Page(query);
    }

    public Task<LiquidationSummary> Summary()
    {
        Fail();
        return _inner.Summary();
    }

    /// <summary>Everything archived, oldest first, read past any outage.</summary>
    public async Task<List<LiquidationRecord>> All() =>
        [.. (await _inner.Page(new LiquidationQuery(null, null, null, null, true, null, LiquidationQuery.MaxLimit))).Items];

    private void Fail()
    {
        if (Down)
        {
            throw new EventLogUnavailableException("liquidations", new TimeoutException("the archive is down"));
        }
    }
}
