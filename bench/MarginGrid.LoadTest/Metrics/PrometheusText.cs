using System.Globalization;

namespace MarginGrid.LoadTest.Metrics;

/// <summary>
/// Reads the Prometheus text format a silo's <c>/metrics</c> serves (enough of it for counters, gauges and histogram
/// buckets: comments skipped, label values without escaped quotes). Figures only; money never passes through here.
/// </summary>
public static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (brace >= 0 && (space < 0 || brace < space))
            {
                var close = line.IndexOf('}', brace);
                if (close < 0)
                {
                    continue;
                }

                name = line[..brace];
                foreach (var pair in line[(brace + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals > 0)
                    {
                        labels[pair[..equals].Trim()] = pair[(equals + 1)..].Trim().Trim('"');
                    }
                }

                rest = line[(close + 1)..].Trim();
            }
            else
            {
                if (space < 0)
                {
                    continue;
                }

                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }

            // The value, then an optional timestamp.
            var value = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (value is not null && TryValue(value, out var parsed))
            {
                samples.Add(new PrometheusSample(name, labels, parsed));
            }
        }

        return samples;
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
