using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MarginGrid.Monitoring.Tests.Support;

namespace MarginGrid.Monitoring.Tests;

/// <summary>
/// The silo in demo mode, scraped by a real Prometheus with the project's rules: what a risk desk would see.
/// Everything is asserted through Prometheus' HTTP API or a real scrape, never assumed.
/// </summary>
[Collection(MonitoringCollection.Name)]
public sealed class LivePrometheusTests(MonitoringStack stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Liquidation_counters_rise_in_prometheus()
    {
        double first = 0;
        await MonitoringStack.Eventually(async () =>
        {
            var result = await stack.Query("sum(margingrid_liquidations_total{job=\"margingrid\"})");
            first = result.Count == 1 ? result[0].Value : 0;
            return (first > 0, $"sum of liquidations {first}");
        }, Patience);
        await MonitoringStack.Eventually(async () =>
        {
            var result = await stack.Query("sum(margingrid_liquidations_total{job=\"margingrid\"})");
            var now = result.Count == 1 ? result[0].Value : 0;
            return (now > first, $"still {now} after {first}");
        }, Patience);
    }

    [Fact]
    public async Task Recording_rules_produce_series()
    {
        foreach (var recorded in (string[])["market_kind:margingrid_liquidations:rate1m", "level:margingrid_accounts:sum", "job:margingrid_tick_to_margin_seconds:p99_5m",
            "asset:margingrid_insurance_fund_balance:max", "market:margingrid_fanout_skipped:rate1m"])
        {
            await MonitoringStack.Eventually(async () =>
            {
                var result = await stack.Query(recorded);
                return (result.Count > 0, $"{recorded}: no series");
            }, Patience);
        }
    }

    [Fact]
    public async Task Every_rule_evaluates_without_error()
    {
        await MonitoringStack.Eventually(async () =>
        {
            var document = await stack.Prometheus.GetFromJsonAsync<JsonElement>("/api/v1/rules");
            var rules = document.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            var unhealthy = rules.Where(r => r.GetProperty("health").GetString() != "ok").Select(r => $"{r.GetProperty("name")}: {r.GetProperty("health")}").ToList();
            var alerts = rules.Count(r => r.GetProperty("type").GetString() == "alerting");
            return (rules.Count > 0 && alerts >= 10 && unhealthy.Count == 0, $"{rules.Count} rules, {alerts} alerts, unhealthy: {string.Join("; ", unhealthy)}");
        }, Patience);
    }

    [Fact]
    public async Task The_fund_balance_in_prometheus_matches_the_api()
    {
        await MonitoringStack.Eventually(async () =>
        {
            // The fund moves with every liquidation: compare a reading of the API with the next scrape of it.
            var fund = await stack.Silo.GetFromJsonAsync<JsonElement>("/v1/insurance-fund/USDT");
            var api = decimal.Parse(fund.GetProperty("balance").GetString()!, CultureInfo.InvariantCulture);
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var again = decimal.Parse((await stack.Silo.GetFromJsonAsync<JsonElement>("/v1/insurance-fund/USDT")).GetProperty("balance").GetString()!, CultureInfo.InvariantCulture);
            var result = await stack.Query("margingrid_insurance_fund_balance{job=\"margingrid\",asset=\"USDT\"}");
            if (result.Count != 1 || api != again)
            {
                return (false, $"series {result.Count}, fund moved {api} → {again}");
            }

            var scraped = (decimal)result[0].Value;
            return (Math.Abs(scraped - api) <= 0.000001m * Math.Max(1m, Math.Abs(api)), $"api {api}, prometheus {scraped}");
        }, Patience);
    }

    [Fact]
    public async Task Every_metric_a_dashboard_uses_is_in_a_real_scrape()
    {
        // Events the demo does not make on its own within a test's patience: a funding settlement and an API error.
        var settle = await stack.Silo.PostAsync("/v1/markets/BTCUSDT/funding-settlements",
            new StringContent("""{"settlementId":"monitoring-test-funding","rate":"0.0001"}""", Encoding.UTF8, "application/json"));
        Assert.True(settle.IsSuccessStatusCode, await settle.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await stack.Silo.GetAsync("/v1/markets/NOSUCHMARKET")).StatusCode);

        Validator.Install();
        var metricsFile = Path.GetTempFileName();
        try
        {
            var (exitCode, output) = Validator.Run(["--no-promtool", "--metrics-out", metricsFile]);
            Assert.True(exitCode == 0, output);
            var used = File.ReadAllLines(metricsFile).Where(l => l.Length > 0).ToList();
            await MonitoringStack.Eventually(async () =>
            {
                var scrape = await stack.Silo.GetStringAsync("/metrics");
                var present = scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet(StringComparer.Ordinal);
                var missing = used.Where(m => !present.Contains(m)).ToList();
                return (missing.Count == 0, $"missing from the scrape: {string.Join(", ", missing)}");
            }, Patience);
        }
        finally
        {
            File.Delete(metricsFile);
        }
    }

    [Fact]
    public async Task Promtool_accepts_the_grid_metric_families()
    {
        await MonitoringStack.Eventually(async () =>
        {
            var scrape = await stack.Silo.GetStringAsync("/metrics");
            var own = string.Join('\n', scrape.Split('\n').Where(l => l.Contains("margingrid_", StringComparison.Ordinal))) + "\n";
            var (exitCode, output) = Tool.Run(Tool.Find("promtool"), ["check", "metrics"], RepoPaths.Root, TimeSpan.FromMinutes(1), stdin: own);
            return (exitCode == 0 && own.Contains("margingrid_liquidations_total", StringComparison.Ordinal), $"promtool exit {exitCode}: {output}");
        }, Patience);
    }

    [Fact]
    public async Task The_orleans_dashboard_needs_the_admin_key()
    {
        using var anonymous = new HttpClient { BaseAddress = stack.Silo.BaseAddress };
        var refused = await anonymous.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var browser = new HttpClient { BaseAddress = stack.Silo.BaseAddress };
        browser.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{MonitoringStack.AdminKey}")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
    }
}
