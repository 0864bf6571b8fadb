using MarginGrid.Monitoring.Tests.Support;

namespace MarginGrid.Monitoring.Tests;

/// <summary>
/// The Grafana dashboards, offline: each validated against the JSON schema generated from @grafana/schema,
/// with fixed uids, the datasource/job/instance variables and links, and every query parsed by promtool.
/// </summary>
public sealed class DashboardTests
{
    [Fact]
    public void Every_dashboard_matches_the_grafana_schema_and_every_query_parses()
    {
        Validator.Install();
        var metrics = Path.GetTempFileName();
        try
        {
            var (exitCode, output) = Validator.Run(["--metrics-out", metrics]);
            Assert.True(exitCode == 0, output);
            Assert.Contains("margingrid_liquidations_total", File.ReadAllLines(metrics));
        }
        finally
        {
            File.Delete(metrics);
        }
    }

    [Fact]
    public void The_validator_rejects_broken_dashboards()
    {
        Validator.Install();
        var (exitCode, output) = Tool.Run(Tool.Find("node"), ["--test", "tests/monitoring/"], RepoPaths.Root, TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, output);
    }
}
