using MarginGrid.Deploy.Tests.Support;

namespace MarginGrid.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile without a Docker engine: linted, then checked to build the silo from an SDK stage whose restore
/// layer holds every project the silo references, into an ASP.NET runtime stage of the TargetFramework's .NET version
/// that runs as the non-root app user, exposes 8080, 11111 and 30000 and starts the silo in exec form.
/// </summary>
public sealed class DockerfileTests
{
    [Fact]
    public void The_image_builds_and_starts_the_silo_as_the_contract_says() =>
        DeployValidator.Validate("--dockerfile", "deploy/Dockerfile").AssertPassed();
}
