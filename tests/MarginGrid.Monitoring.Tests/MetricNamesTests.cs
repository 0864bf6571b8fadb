using MarginGrid.Monitoring.Tests.Support;

namespace MarginGrid.Monitoring.Tests;

/// <summary>
/// The dashboards and alert rules query the grid's metrics by name and label: a real scrape of the demo silo
/// carries exactly these families, with exactly these labels, and nothing else under <c>margingrid_</c>.
/// </summary>
[Collection(MonitoringCollection.Name)]
public sealed class MetricNamesTests(MonitoringStack stack)
{
    /// <summary>Every family of the meter <c>MarginGrid</c> with its type and label names, as scraped before the instruments became a service.</summary>
    private static readonly Dictionary<string, (string Type, string Labels)> Expected = new(StringComparer.Ordinal)
    {
        ["margingrid_accounts"] = ("gauge", "level"),
        ["margingrid_adl_events_total"] = ("counter", "market"),
        ["margingrid_api_errors_total"] = ("counter", "code,route"),
        ["margingrid_api_requests_total"] = ("counter", "method,route,status"),
        ["margingrid_at_risk_notional"] = ("gauge", "market"),
        ["margingrid_breach_to_liquidation_duration_seconds"] = ("histogram", ""),
        ["margingrid_deficits_total"] = ("counter", "market"),
        ["margingrid_fanout_conflated_total"] = ("counter", "market"),
        ["margingrid_fanout_deliveries_total"] = ("counter", "market"),
        ["margingrid_fanout_skipped_total"] = ("counter", "market"),
        ["margingrid_funding_rate"] = ("gauge", "market"),
        ["margingrid_funding_settlements_total"] = ("counter", "market"),
        ["margingrid_insurance_fund_balance"] = ("gauge", "asset"),
        ["margingrid_insurance_fund_inflows_total"] = ("counter", "asset"),
        ["margingrid_insurance_fund_payouts_total"] = ("counter", "asset"),
        ["margingrid_liquidated_notional_total"] = ("counter", "asset,market"),
        ["margingrid_liquidation_archive_backlog"] = ("gauge", ""),
        ["margingrid_liquidation_backlog"] = ("gauge", ""),
        ["margingrid_liquidation_duration_seconds"] = ("histogram", "status"),
        ["margingrid_liquidations_total"] = ("counter", "kind,market"),
        ["margingrid_mark_age_seconds"] = ("gauge", "market"),
        ["margingrid_mark_price"] = ("gauge", "market"),
        ["margingrid_markets_stale"] = ("gauge", ""),
        ["margingrid_marks_total"] = ("counter", "market"),
        ["margingrid_safety_sweep_checked_total"] = ("counter", ""),
        ["margingrid_safety_sweep_cycle_duration_seconds"] = ("histogram", ""),
        ["margingrid_safety_sweep_found_total"] = ("counter", ""),
        ["margingrid_tick_to_margin_duration_seconds"] = ("histogram", ""),
    };

    [Fact]
    public async Task The_scrape_carries_every_grid_metric_with_its_labels_and_no_other()
    {
        // An unknown market is a coded 404: the API's request and error counters both get a series.
        using var missing = await stack.Silo.GetAsync("/v1/markets/NOSUCHMARKET");
        Assert.Equal(404, (int)missing.StatusCode);

        // Some families appear only once their first event happened (a funding round, a completed sweep cycle).
        Dictionary<string, (string Type, string Labels)> scraped = [];
        await MonitoringStack.Eventually(async () =>
        {
            scraped = Families(await stack.Silo.GetStringAsync("/metrics"));
            var absent = Expected.Keys.Except(scraped.Keys).ToList();
            return (absent.Count == 0, $"not yet scraped: {string.Join(", ", absent)}");
        }, TimeSpan.FromMinutes(7));

        Assert.Equal(Expected.OrderBy(e => e.Key, StringComparer.Ordinal), scraped.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    /// <summary>The <c>margingrid_</c> families of a Prometheus text scrape: type, and the label names of their samples.</summary>
    private static Dictionary<string, (string Type, string Labels)> Families(string scrape)
    {
        var lines = scrape.Split('\n');
        var types = lines.Where(l => l.StartsWith("# TYPE margingrid_", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[2], p => p[3], StringComparer.Ordinal);
        var labels = types.Keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var line in lines.Where(l => l.StartsWith("margingrid_", StringComparison.Ordinal)))
        {
            var nameEnd = line.IndexOfAny(['{', ' ']);
            var name = line[..nameEnd];
            var family = types.Keys.Where(f => name == f || (types[f] == "histogram" && name.StartsWith(f + "_", StringComparison.Ordinal)))
                .OrderByDescending(f => f.Length).FirstOrDefault() ?? name;
            if (!labels.TryGetValue(family, out var set))
            {
                set = new SortedSet<string>(StringComparer.Ordinal);
                labels[family] = set;
            }

            if (line[nameEnd] == '{')
            {
                var body = line[(nameEnd + 1)..line.LastIndexOf('}')];
                foreach (var pair in SplitLabels(body))
                {
                    if (pair != "le" && !pair.StartsWith("otel_scope_", StringComparison.Ordinal))
                    {
                        set.Add(pair);
                    }
                }
            }
        }

        return labels.ToDictionary(l => l.Key, l => (types.GetValueOrDefault(l.Key, "untyped"), string.Join(",", l.Value)), StringComparer.Ordinal);
    }

    /// <summary>The label names of a sample's label set (values are quoted and may hold commas or braces).</summary>
    private static IEnumerable<string> SplitLabels(string body)
    {
        var i = 0;
        while (i < body.Length)
        {
            var equals = body.IndexOf('=', i);
            yield return body[i..equals].Trim(',', ' ');
            var j = equals + 2;
            while (j < body.Length && body[j] != '"')
            {
                j += body[j] == '\\' ? 2 : 1;
            }

            i = j + 1;
        }
    }
}
