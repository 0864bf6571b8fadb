using System.Text.Json;
using MarginGrid.Deploy.Tests.Support;

namespace MarginGrid.Deploy.Tests;

/// <summary>
/// deploy/compose/compose.yaml as docker-compose reads it: three durable silos on distinct host ports, wired to the
/// PostgreSQL services (one per ledger partition) and the Redis service by their connection strings, Redis with its
/// append-only file, Prometheus scraping every silo with the project's rules (promtool checks the configuration as
/// the container sees it), Grafana with the project's provisioning and dashboards.
/// </summary>
public sealed class ComposeTests
{
    [Fact]
    public void Docker_compose_accepts_the_file_without_warnings()
    {
        var (exitCode, output) = Render.DockerCompose(["config", "-q"]);
        Assert.True(exitCode == 0, output);
        Assert.True(output.Trim().Length == 0, $"docker-compose config printed warnings:\n{output}");
    }

    [Fact]
    public void The_stack_runs_three_durable_silos_with_monitoring_and_meets_the_contract()
    {
        using var scratch = new Scratch();
        var result = DeployValidator.Validate("--compose", Render.Compose(scratch), "--promtool", DeployTools.Require("promtool"));
        result.AssertPassed();

        var services = result.Summary.GetProperty("services").EnumerateObject().ToDictionary(s => s.Name, s => s.Value);
        var silos = services.Where(s => s.Value.GetProperty("silo").GetBoolean()).ToList();
        Assert.Equal(["silo1", "silo2", "silo3"], silos.Select(s => s.Key).Order());
        Assert.All(silos, s => Assert.Equal("durable", s.Value.GetProperty("mode").GetString()));
        var httpPorts = silos.Select(s => PublishedPort(s.Value, 8080)).ToList();
        Assert.Equal([8081, 8082, 8083], httpPorts.Order());
        Assert.Equal(3, silos.Select(s => PublishedPort(s.Value, 30000)).Distinct().Count());
        Assert.Contains("postgres-ledger1", services.Keys);
        Assert.Contains("prometheus", services.Keys);
        Assert.Contains("grafana", services.Keys);
    }

    [Fact]
    public void A_broken_override_fails_the_validation()
    {
        using var scratch = new Scratch();
        var broken = scratch.Write("broken.yaml", """
            services:
              silo2:
                environment:
                  Orleans__AdvertisedIp: 10.0.0.2
              redis:
                command: ["redis-server"]
            """);
        var result = DeployValidator.Validate("--compose", Render.Compose(scratch, broken));
        result.AssertFailedWith("service silo2: Orleans__AdvertisedIp is not in the silo's configuration contract");
        result.AssertFailedWith("must run with --appendonly yes");
    }

    private static int PublishedPort(JsonElement service, int target) =>
        service.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("target").GetInt32() == target).GetProperty("published").GetInt32();
}
