using System.Diagnostics.Metrics;

namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Sums the grid's counters as they are recorded, through a <see cref="MeterListener"/>: a host's summary (the
/// demo console, the load test) reads the same instruments as the exporter, with nothing added to the hot path.
/// Listens to one silo's meter only: each silo of a process (a test cluster) has its own.
/// </summary>
public sealed class GridTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _marks;
    private long _deliveries;
    private long _skipped;
    private long _conflated;
    private long _partial;
    private long _full;
    private long _adl;
    private long _deficits;
    private long _sweepChecked;
    private long _sweepFound;
    private long _lastTickToMarginTicks;

    public GridTotals(GridMetrics silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var meter = silo.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && IsSummed(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    public GridTotalsReading Read() => new(
        Interlocked.Read(ref _marks), Interlocked.Read(ref _deliveries), Interlocked.Read(ref _skipped), Interlocked.Read(ref _conflated),
        Interlocked.Read(ref _partial), Interlocked.Read(ref _full), Interlocked.Read(ref _adl), Interlocked.Read(ref _deficits),
        Interlocked.Read(ref _sweepChecked), Interlocked.Read(ref _sweepFound), TimeSpan.FromTicks(Interlocked.Read(ref _lastTickToMarginTicks)).TotalMilliseconds);

    public void Dispose() => _listener.Dispose();

    private static bool IsSummed(string instrument) => instrument is "margingrid.marks" or "margingrid.fanout.deliveries" or "margingrid.fanout.skipped"
        or "margingrid.fanout.conflated" or "margingrid.liquidations" or "margingrid.deficits" or "margingrid.safety_sweep.checked"
        or "margingrid.safety_sweep.found" or "margingrid.tick_to_margin.duration";

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "margingrid.marks":
                Interlocked.Add(ref _marks, value);
                break;
            case "margingrid.fanout.deliveries":
                Interlocked.Add(ref _deliveries, value);
                break;
            case "margingrid.fanout.skipped":
                Interlocked.Add(ref _skipped, value);
                break;
            case "margingrid.fanout.conflated":
                Interlocked.Add(ref _conflated, value);
                break;
            case "margingrid.deficits":
                Interlocked.Add(ref _deficits, value);
                break;
            case "margingrid.safety_sweep.checked":
                Interlocked.Add(ref _sweepChecked, value);
                break;
            case "margingrid.safety_sweep.found":
                Interlocked.Add(ref _sweepFound, value);
                break;
            case "margingrid.liquidations":
                switch (KindOf(tags))
                {
                    case "partial":
                        Interlocked.Add(ref _partial, value);
                        break;
                    case "adl":
                        Interlocked.Add(ref _adl, value);
                        break;
                    default:
                        Interlocked.Add(ref _full, value);
                        break;
                }

                break;
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == "margingrid.tick_to_margin.duration")
        {
            Interlocked.Exchange(ref _lastTickToMarginTicks, TimeSpan.FromSeconds(value).Ticks);
        }
    }

    private static string? KindOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "kind")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
