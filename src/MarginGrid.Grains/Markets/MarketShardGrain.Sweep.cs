using System.Diagnostics;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// The safety net under band skipping: a slow sweep that delivers the newest mark to a slice of holders
/// whose band says they can be skipped, so every holder is re-checked once per cycle. The account checks on
/// that evaluation that its level is the one its bands promised (the bands are proven conservative, so a
/// finding should never happen); the delivery itself lets the account escalate at once.
/// </summary>
public sealed partial class MarketShardGrain
{
    private SafetySweepCursor? _sweep;
    private long? _sweepCycleStarted;

    private void StartSafetySweep()
    {
        if (_options.SafetySweepInterval <= TimeSpan.Zero || _options.SafetySweepCycle <= TimeSpan.Zero)
        {
            return;
        }

        _sweep = new SafetySweepCursor(_options.SafetySweepInterval, _options.SafetySweepCycle);

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
        if (_latest is not { } latest || _holders.Count == 0 || _sweep is not { } sweep)
        {
            return;
        }

        if (sweep.CycleDone)
        {
            // The cycle actually achieved, which the silo's budget may have lengthened (the first is partial).
            var now = Stopwatch.GetTimestamp();
            if (_sweepCycleStarted is { } started && sweep.Length > 0)
            {
                _metrics.SafetySweepCycleCompleted(Stopwatch.GetElapsedTime(started, now));
            }

            _sweepCycleStarted = now;
            sweep.Restart(_holders.Ids());
        }

        var granted = _sweepBudget.Take(sweep.SliceSize);

        // Only those the fan-out is skipping: the others received this mark already. The account checks its
        // own bands on this evaluation (AccountGrain.CheckBandsHeld): a shard cannot, because the account's
        // level also depends on its other markets, whose marks this shard does not see.
        var checks = sweep.NextSlice(granted, id => _holders.ReportOf(id) is { } promised && promised.Holds(latest.Price))
            .Select(id => DeliverTo(id, latest)).ToList();
        _sweepBudget.Return(granted - checks.Count);
        await Task.WhenAll(checks);
        _metrics.SafetySweepChecked(checks.Count);
    }
}
