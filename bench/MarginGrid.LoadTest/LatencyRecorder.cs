using System.Diagnostics;
using HdrHistogram;

namespace MarginGrid.LoadTest;

/// <summary>An HdrHistogram of latencies in microseconds (1 µs to 10 minutes, 3 significant digits), safe to record from any thread.</summary>
public sealed class LatencyRecorder
{
    private readonly LongHistogram _histogram = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly Lock _gate = new();

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _histogram.TotalCount;
            }
        }
    }

    /// <summary>Records the time from <paramref name="intendedTimestamp"/> (a <see cref="Stopwatch"/> timestamp) until now.</summary>
    public void RecordSince(long intendedTimestamp)
    {
        var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(intendedTimestamp).TotalMicroseconds);
        lock (_gate)
        {
            _histogram.RecordValue(Math.Min(micros, _histogram.HighestTrackableValue));
        }
    }

    /// <summary>Records the time from <paramref name="fromTimestamp"/> to <paramref name="toTimestamp"/> (<see cref="Stopwatch"/> timestamps; at least 1 µs).</summary>
    public void RecordBetween(long fromTimestamp, long toTimestamp)
    {
        var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalMicroseconds);
        lock (_gate)
        {
            _histogram.RecordValue(Math.Min(micros, _histogram.HighestTrackableValue));
        }
    }

    public LatencySummary Summary()
    {
        lock (_gate)
        {
            return _histogram.TotalCount == 0
                ? new LatencySummary(0, 0, 0, 0)
                : new LatencySummary(Ms(_histogram.GetValueAtPercentile(50)), Ms(_histogram.GetValueAtPercentile(99)), Ms(_histogram.GetMaxValue()), _histogram.TotalCount);
        }
    }

    private static double Ms(long micros) => Math.Round(micros / 1_000.0, 3);
}
