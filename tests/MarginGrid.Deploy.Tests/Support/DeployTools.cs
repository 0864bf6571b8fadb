using System.Text.Json;

namespace MarginGrid.Deploy.Tests.Support;

/// <summary>
/// The programs the deploy checks run. A missing one fails the test with the Debian package to install; nothing is
/// skipped, so a machine without them can never report the deployment files as checked.
/// </summary>
public static class DeployTools
{
    /// <summary>The overlays use kustomize's `patches` and directory `resources`, which kubectl embeds from 1.27 on (kustomize v5).</summary>
    private const int KustomizeMajor = 5;

    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["docker-compose"] = "docker-compose",
        ["kubectl"] = "kubernetes-client",
        ["node"] = "nodejs npm",
        ["npm"] = "nodejs npm",
    };

    private static readonly Lazy<string> CheckedKubectl = new(CheckKubectl);

    /// <summary>The path of a program on PATH; promtool is found (and installed as root) as the monitoring tests do.</summary>
    public static string Require(string name)
    {
        if (name == "promtool")
        {
            return Tool.Find(name);
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return found ?? throw new InvalidOperationException(
            $"'{name}' is not on PATH and the deploy checks need it: install it (Debian: apt-get install -y {Packages[name]}).");
    }

    /// <summary>kubectl, once its embedded kustomize is known to be new enough for the overlays.</summary>
    public static string Kubectl() => CheckedKubectl.Value;

    private static string CheckKubectl()
    {
        var kubectl = Require("kubectl");
        var (exitCode, output) = Tool.Run(kubectl, ["version", "--client", "-o", "json"], RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, output);
        var version = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        var kustomize = version.TryGetProperty("kustomizeVersion", out var k) ? k.GetString() ?? "" : "";
        var major = int.TryParse(kustomize.TrimStart('v').Split('.')[0], out var m) ? m : 0;
        return major >= KustomizeMajor ? kubectl : throw new InvalidOperationException(
            $"{kubectl} is kubectl {version.GetProperty("clientVersion").GetProperty("gitVersion").GetString()} with kustomize " +
            $"'{(kustomize.Length > 0 ? kustomize : "v2 or v3")}'; deploy/k8s needs kustomize v{KustomizeMajor} (kubectl 1.27 or later). " +
            "Debian's kubernetes-client (1.20) is too old: use the kubectl of the Kubernetes or Google Cloud package repositories.");
    }
}
