using System.Globalization;

namespace MarginGrid.LoadTest.Metrics;

/// <summary>
/// A Prometheus histogram's cumulative buckets (upper bound in seconds → count), summed over silos. A percentile is
/// read as the upper bound of the bucket it falls in: never better than the truth, at the buckets' resolution.
/// </summary>
public sealed record BucketHistogram(IReadOnlyList<(double UpperBound, long Count)> Buckets)
{
    public static BucketHistogram Empty { get; } = new([]);

    public long Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    public static BucketHistogram From(IEnumerable<PrometheusSample> samples, string name)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var byBound = new SortedDictionary<double, long>();
        foreach (var sample in samples.Where(s => s.Name == name + "_bucket"))
        {
            if (sample.Labels.TryGetValue("le", out var le)
                && (le == "+Inf" || double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            {
                var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
                byBound[bound] = byBound.GetValueOrDefault(bound) + (long)sample.Value;
            }
        }

        return new BucketHistogram([.. byBound.Select(b => (b.Key, b.Value))]);
    }

    /// <summary>What was recorded between <paramref name="earlier"/> and this reading (same buckets).</summary>
    public BucketHistogram Minus(BucketHistogram earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var before = earlier.Buckets.ToDictionary(b => b.UpperBound, b => b.Count);
        return new BucketHistogram([.. Buckets.Select(b => (b.UpperBound, Math.Max(0, b.Count - before.GetValueOrDefault(b.UpperBound))))]);
    }

    /// <summary>The upper bound (ms) of the bucket holding the <paramref name="percentile"/>; the largest finite bound for the +Inf bucket.</summary>
    public double PercentileMs(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100.0 * total);
        var largestFinite = Buckets.Where(b => !double.IsPositiveInfinity(b.UpperBound)).Select(b => b.UpperBound).DefaultIfEmpty(0).Max();
        foreach (var (bound, count) in Buckets)
        {
            if (count >= rank)
            {
                return Math.Round((double.IsPositiveInfinity(bound) ? largestFinite : bound) * 1000, 3);
            }
        }

        return Math.Round(largestFinite * 1000, 3);
    }

    public LatencySummary Summary() => Count == 0 ? LatencySummary.None : new LatencySummary(PercentileMs(50), PercentileMs(99), PercentileMs(100), Count);
}
