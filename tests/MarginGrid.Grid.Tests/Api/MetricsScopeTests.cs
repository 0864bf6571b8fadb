using MarginGrid.Grid.Tests.Support;
using MarginGrid.Grid.Tests.Telemetry;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// A silo's scrape shows its own silo only: another silo in the same process (as in these tests) has a meter of
/// the same name, and neither its readings nor its going away reach this silo's <c>/metrics</c>.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class MetricsScopeTests(GridApp app)
{
    [Fact]
    public async Task Another_silos_meter_in_the_process_neither_shows_nor_silences_this_scrape()
    {
        await app.Admin.Ok(HttpMethod.Post, "/v1/insurance-fund/SCOPE/deposits", new { transferId = "scope-seed", amount = "3.5" });
        using (var other = new TestSilo())
        {
            other.Metrics.FundBalance("ELSEWHERE", 99m);
            other.Metrics.AccountLevel(null, "healthy");
            var during = await ScrapeShowing("asset=\"SCOPE\"} 3.5");
            Assert.Contains("asset=\"SCOPE\"} 3.5", during.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("ELSEWHERE", during.Body, StringComparison.Ordinal);
        }

        // The other silo's meter is disposed now; this silo's families are still scraped.
        var after = await ScrapeShowing("asset=\"SCOPE\"} 3.5");
        Assert.Contains("asset=\"SCOPE\"} 3.5", after.Body, StringComparison.Ordinal);
        Assert.Contains("margingrid_insurance_fund_balance{", after.Body, StringComparison.Ordinal);
    }

    // The exporter answers a scrape from its cache for a short while after the last one (another test's), so a
    // figure changed just now shows on a later scrape.
    private Task<Reply> ScrapeShowing(string expected) =>
        Eventually.Get(() => app.Anonymous.Get("/metrics"), r => r.Body.Contains(expected, StringComparison.Ordinal), $"a scrape showing {expected}");
}
