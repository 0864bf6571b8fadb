using System.Text.RegularExpressions;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>What a silo runs is visible: <c>/version</c> without a key, and the version and build in <c>target_info</c>.</summary>
[Collection(GridCollection.Name)]
public sealed class VersionTests(GridApp app)
{
    [Fact]
    public async Task Version_answers_without_a_key_with_the_version_build_orleans_version_and_start_time()
    {
        var reply = await app.Anonymous.Get("/version");
        Assert.True(reply.IsSuccess, reply.Body);
        var version = reply.Json;
        Assert.Equal(GridBuild.Version, version["version"]!.GetValue<string>());
        Assert.Equal(GridBuild.Build, version["build"]!.GetValue<string>());
        Assert.StartsWith("10.", version["orleansVersion"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(version["startedAt"]!.GetValue<DateTimeOffset>() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Target_info_on_metrics_carries_the_service_version_and_build()
    {
        var metrics = await app.Anonymous.Get("/metrics");
        Assert.True(metrics.IsSuccess, metrics.Body);
        var targetInfo = Assert.Single(metrics.Body.Split('\n'), l => l.StartsWith("target_info{", StringComparison.Ordinal));
        Assert.Contains($"service_version=\"{GridBuild.Version}\"", targetInfo, StringComparison.Ordinal);
        Assert.Contains($"service_build=\"{GridBuild.Build}\"", targetInfo, StringComparison.Ordinal);
        Assert.Matches(new Regex("service_name=\"margingrid-silo\""), targetInfo);
    }
}
