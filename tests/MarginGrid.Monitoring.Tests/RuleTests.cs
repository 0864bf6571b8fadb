using MarginGrid.Monitoring.Tests.Support;

namespace MarginGrid.Monitoring.Tests;

/// <summary>The Prometheus configuration and rules in deploy/prometheus are valid, and every alert's unit tests pass (promtool).</summary>
public sealed class RuleTests
{
    private static readonly string Prometheus = RepoPaths.Of("deploy", "prometheus");

    [Fact]
    public void The_configuration_is_valid() =>
        Succeeds(Tool.Run(Tool.Find("promtool"), ["check", "config", "prometheus.yml"], Prometheus, TimeSpan.FromMinutes(1)));

    [Fact]
    public void The_recording_and_alert_rules_are_valid() =>
        Succeeds(Tool.Run(Tool.Find("promtool"), ["check", "rules", .. Directory.GetFiles(Path.Combine(Prometheus, "rules"), "*.yml")], Prometheus, TimeSpan.FromMinutes(1)));

    [Fact]
    public void Every_alert_fires_and_stays_quiet_as_its_unit_tests_say() =>
        Succeeds(Tool.Run(Tool.Find("promtool"), ["test", "rules", .. Directory.GetFiles(Path.Combine(Prometheus, "tests"), "*.yml")], Prometheus, TimeSpan.FromMinutes(2)));

    [Fact]
    public void Every_alert_has_unit_tests()
    {
        var alerts = File.ReadAllLines(Path.Combine(Prometheus, "rules", "alerts.yml"))
            .Select(l => l.Trim()).Where(l => l.StartsWith("- alert:", StringComparison.Ordinal)).Select(l => l["- alert:".Length..].Trim()).ToList();
        var tests = string.Join('\n', Directory.GetFiles(Path.Combine(Prometheus, "tests"), "*.yml").Select(File.ReadAllText));
        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.Contains($"alertname: {alert}", tests, StringComparison.Ordinal));
    }

    private static void Succeeds((int ExitCode, string Output) result) => Assert.True(result.ExitCode == 0, result.Output);
}
