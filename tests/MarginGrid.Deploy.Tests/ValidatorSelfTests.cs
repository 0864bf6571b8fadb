using MarginGrid.Deploy.Tests.Support;

namespace MarginGrid.Deploy.Tests;

/// <summary>
/// The checks can fail: tests/deploy/validate-deploy.test.mjs breaks copies of the rendered manifests, the compose
/// configuration and the Dockerfile one way each (a CPU limit, a probe on an undeclared port, a misspelled variable, a
/// missing Secret key, an unknown field, a duplicate host port, Redis without its append-only file, a project missing
/// from the restore layer, a root user...) and expects the validator to name each problem. Also: the committed
/// Kubernetes schema is the one the pinned kubernetes-types generates.
/// </summary>
public sealed class ValidatorSelfTests
{
    [Fact]
    public void The_validator_rejects_broken_deployments()
    {
        // The self-test renders its fixtures with these; fail here, with the package to install, rather than in node.
        DeployTools.Kubectl();
        DeployTools.Require("docker-compose");
        DeployTools.Require("promtool");
        var (exitCode, output) = DeployValidator.Node("--test", "tests/deploy/");
        Assert.True(exitCode == 0, output);
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_committed_kubernetes_schema_is_current()
    {
        var (exitCode, output) = DeployValidator.Node("tests/deploy/generate-schema.mjs", "--check");
        Assert.True(exitCode == 0, output);
    }
}
