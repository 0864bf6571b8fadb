namespace MarginGrid.LoadTest.Metrics;

/// <summary>The peak rate of a cumulative count over any window of a given length, from samples taken along the run.</summary>
public static class PeakWindow
{
    /// <summary>
    /// Samples are (seconds since the start, cumulative count), in time order. The rate of a window is the count gained
    /// from a sample to the first sample at least <paramref name="window"/> later, over that span; a run shorter than the
    /// window gives its whole rate.
    /// </summary>
    public static double PerSecond(IReadOnlyList<(double Seconds, long Count)> samples, double window)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return 0;
        }

        var peak = 0.0;
        var end = 0;
        for (var start = 0; start < samples.Count; start++)
        {
            while (end < samples.Count && samples[end].Seconds - samples[start].Seconds < window)
            {
                end++;
            }

            if (end == samples.Count)
            {
                if (start == 0)
                {
                    var span = samples[^1].Seconds - samples[0].Seconds;
                    return span <= 0 ? 0 : (samples[^1].Count - samples[0].Count) / span;
                }

                break;
            }

            var seconds = samples[end].Seconds - samples[start].Seconds;
            peak = Math.Max(peak, (samples[end].Count - samples[start].Count) / seconds);
        }

        return peak;
    }
}
