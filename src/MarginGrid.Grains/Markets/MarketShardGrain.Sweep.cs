using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// The safety net under band skipping: a slow sweep that delivers the newest mark to a slice of holders
/// whose band says they can be skipped, so every holder is re-checked once per cycle. An account whose
/// level is not the one its band promised is a finding (the bands are proven conservative, so it should
/// never happen); the delivery itself lets the account escalate at once.
/// </summary>
public sealed partial class MarketShardGrain
{
    private string[] _sweepOrder = [];
    private int _sweepCursor;

    private void StartSafetySweep()
    {
        if (_options.SafetySweepInterval <= TimeSpan.Zero || _options.SafetySweepCycle <= TimeSpan.Zero)
        {
            return;
        }

        // Spread the shards' first sweeps over the interval, so that they do not all fire at once.
        var offset = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _options.SafetySweepInterval.TotalMilliseconds);
        this.RegisterGrainTimer(SweepSlice, new GrainTimerCreationOptions
        {
            DueTime = _options.SafetySweepInterval + offset,
            Period = _options.SafetySweepInterval,
            Interleave = true,
        });
    }

    private async Task SweepSlice(CancellationToken cancellationToken)
    {
        if (_latest is not { } latest || _holders.Count == 0)
        {
            return;
        }

        if (_sweepCursor >= _sweepOrder.Length)
        {
            _sweepOrder = [.. _holders];
            _sweepCursor = 0;
        }

        var perSlice = (int)Math.Ceiling(_sweepOrder.Length * (_options.SafetySweepInterval / _options.SafetySweepCycle));
        var slice = _sweepOrder.AsSpan(_sweepCursor, Math.Min(perSlice, _sweepOrder.Length - _sweepCursor)).ToArray();
        _sweepCursor += slice.Length;
        var checks = new List<Task>(slice.Length);
        foreach (var id in slice)
        {
            // Only those the fan-out is skipping: the others received this mark already.
            if (_holders.Contains(id) && _reports.TryGetValue(id, out var promised) && promised.Holds(latest.Price))
            {
                checks.Add(Recheck(id, promised, latest));
            }
        }

        await Task.WhenAll(checks);
        GridMetrics.SafetySweepChecked(checks.Count);
    }

    private async Task Recheck(string accountId, HolderReport promised, MarkUpdate latest)
    {
        HolderReport now;
        try
        {
            now = await GrainFactory.GetGrain<IAccountGrain>(accountId).OnMark(latest);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Forget(accountId);
            _logger.LogWarning(error, "Safety sweep of {Account} on {Symbol} failed", accountId, latest.Symbol);
            return;
        }

        // A finding only if nothing else told this shard of a change meanwhile (another market's mark or a
        // command re-banding the account is legitimate).
        var untouched = _reports.TryGetValue(accountId, out var held) && held.Stamp == promised.Stamp;
        Keep(accountId, now);
        if (untouched && now.Level != promised.Level && now.Size == promised.Size)
        {
            GridMetrics.SafetySweepFound();
            _logger.LogError("Safety sweep: {Account} is at level {Level} at {Symbol} {Price}, inside the band that promised {Promised}",
                accountId, now.Level, latest.Symbol, latest.Price, promised.Level);
        }
    }
}
