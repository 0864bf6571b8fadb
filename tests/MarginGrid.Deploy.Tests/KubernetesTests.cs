using System.Text.Json;
using MarginGrid.Deploy.Tests.Support;

namespace MarginGrid.Deploy.Tests;

/// <summary>
/// deploy/k8s rendered by kubectl kustomize: every object against the strict schema of its kind (from kubernetes-types),
/// then probes, resources, Services, the PodDisruptionBudget, Secret and ConfigMap references and the silo's contract.
/// </summary>
public sealed class KubernetesTests
{
    /// <summary>Both overlays leave the cluster's TLS Secret to the operator (make-certs.sh in development, the PKI in production).</summary>
    private static readonly string[] ClusterTls = ["--provided", "deploy/k8s/base/secret-cluster-tls.yaml"];

    /// <summary>Production's Secret comes from the operator's store, with the keys of the base's placeholder.</summary>
    private static readonly string[] OperatorSecret = ["--provided", "deploy/k8s/base/secret.yaml", .. ClusterTls];

    [Theory]
    [InlineData("deploy/k8s/base")]
    [InlineData("deploy/k8s/overlays/dev")]
    [InlineData("deploy/k8s/overlays/production")]
    public void Each_kustomization_renders_and_meets_the_contract(string folder)
    {
        using var scratch = new Scratch();
        var provided = folder.EndsWith("production", StringComparison.Ordinal) ? OperatorSecret : folder.EndsWith("dev", StringComparison.Ordinal) ? ClusterTls : [];
        DeployValidator.Validate(["--k8s", Render.Kustomize(scratch, folder), .. provided]).AssertPassed();
    }

    [Fact]
    public void Production_runs_three_silos_from_a_pinned_image_and_renders_no_secret()
    {
        var summary = Summary("deploy/k8s/overlays/production", OperatorSecret);
        var silo = Workload(summary, "margingrid-silo");
        Assert.Equal(3, silo.GetProperty("replicas").GetInt32());
        var image = silo.GetProperty("images")[0].GetString()!;
        Assert.Matches(@"^[^:]+/[^:]+:[0-9][^:]*$", image);
        Assert.DoesNotContain(Objects(summary), o => o.Kind == "Secret");
        Assert.All(Objects(summary).Where(o => o.Kind != "Namespace"), o => Assert.Equal("margingrid", o.Namespace));
    }

    [Fact]
    public void Dev_brings_its_own_postgres_and_redis_and_the_base_does_not()
    {
        var dev = Summary("deploy/k8s/overlays/dev", ClusterTls);
        Assert.Equal(["margingrid-silo", "postgres", "redis"], dev.GetProperty("workloads").EnumerateArray().Select(w => w.GetProperty("name").GetString()).Order());
        Assert.Equal("margingrid-silo:local", Workload(dev, "margingrid-silo").GetProperty("images")[0].GetString());
        Assert.Contains(Objects(dev), o => o.Kind == "Secret" && o.Name == "margingrid-secrets");

        var workloads = Summary("deploy/k8s/base", []).GetProperty("workloads").EnumerateArray().Select(w => w.GetProperty("name").GetString());
        Assert.Equal(["margingrid-silo"], workloads);
    }

    [Theory]
    [InlineData("deploy/k8s/overlays/dev")]
    [InlineData("deploy/k8s/overlays/production")]
    public void A_network_policy_admits_the_cluster_ports_only_from_the_silos_and_named_clients(string folder)
    {
        var summary = Summary(folder, folder.EndsWith("production", StringComparison.Ordinal) ? OperatorSecret : ClusterTls);
        var policy = Assert.Single(summary.GetProperty("networkPolicies").EnumerateArray());
        Assert.True(policy.GetProperty("selectsSilo").GetBoolean());
        var rules = policy.GetProperty("ingress").EnumerateArray().Select(r => (
            Ports: r.GetProperty("ports").EnumerateArray().Select(p => p.ToString()).ToList(),
            From: r.GetProperty("from").EnumerateArray().Select(Labels).ToList())).ToList();
        const string Silos = "app.kubernetes.io/component=silo,app.kubernetes.io/name=margingrid";
        const string GatewayClients = "margingrid.io/gateway-client=true";

        // Silo port: from the silos only. Gateway: the silos and pods labelled as gateway clients. HTTP: open (keys guard it).
        Assert.Equal([Silos], rules.Where(r => r.Ports.Contains("silo")).SelectMany(r => r.From));
        Assert.Equal([Silos, GatewayClients], rules.Where(r => r.Ports.Contains("gateway")).SelectMany(r => r.From));
        Assert.All(rules.Where(r => r.Ports.Contains("http")), r => Assert.Empty(r.From));
    }

    [Fact]
    public void An_overlay_that_opens_the_gateway_to_every_pod_fails_the_validation()
    {
        using var scratch = new Scratch();
        var overlay = Path.Combine(scratch.Folder, "open-gateway");
        scratch.Write("open-gateway/kustomization.yaml", $"""
            resources:
              - {Path.GetRelativePath(overlay, RepoPaths.Of("deploy", "k8s", "base"))}
            patches:
              - path: policy.yaml
            """);
        scratch.Write("open-gateway/policy.yaml", """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: margingrid-silo
            spec:
              ingress:
                - ports:
                    - port: gateway
                    - port: silo
            """);
        var result = DeployValidator.Validate("--k8s", Render.Kustomize(scratch, overlay));
        result.AssertFailedWith("NetworkPolicy/margingrid-silo: a rule admits the gateway port (30000) from anywhere");
        result.AssertFailedWith("no NetworkPolicy admits the silo port (11111) from the silo pods");
    }

    public static TheoryData<string, string, string> BrokenPatches => new()
    {
        {
            "a CPU limit",
            "resources:\n  limits:\n    cpu: \"2\"",
            "container silo: has a CPU limit (2)"
        },
        {
            "a probe on an undeclared port",
            "readinessProbe:\n  httpGet:\n    port: 9090",
            "container silo: the readinessProbe uses port 9090, which the container does not declare"
        },
        {
            "a misspelled environment variable",
            "env:\n  - name: Cluster__ShutdownTimeoutSecs\n    value: \"45\"",
            "Cluster__ShutdownTimeoutSecs is not in the silo's configuration contract"
        },
        {
            "a key the Secret does not have",
            "env:\n  - name: ConnectionStrings__Redis\n    valueFrom:\n      secretKeyRef:\n        name: margingrid-secrets\n        key: redis",
            "refers to key 'redis' of Secret margingrid-secrets, which has no such key"
        },
    };

    [Theory]
    [MemberData(nameof(BrokenPatches))]
    public void A_broken_overlay_fails_the_validation(string broken, string containerPatch, string expected)
    {
        using var scratch = new Scratch();
        var overlay = Path.Combine(scratch.Folder, "broken");
        var indented = string.Join('\n', containerPatch.Split('\n').Select(line => $"          {line}"));
        scratch.Write("broken/kustomization.yaml", $"""
            # {broken}
            resources:
              - {Path.GetRelativePath(overlay, RepoPaths.Of("deploy", "k8s", "base"))}
            patches:
              - path: silo.yaml
            """);
        scratch.Write("broken/silo.yaml", $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: margingrid-silo
            spec:
              template:
                spec:
                  containers:
                    - name: silo
            {indented}
            """);
        DeployValidator.Validate("--k8s", Render.Kustomize(scratch, overlay)).AssertFailedWith(expected);
    }

    private static JsonElement Summary(string folder, string[] provided)
    {
        using var scratch = new Scratch();
        var result = DeployValidator.Validate(["--k8s", Render.Kustomize(scratch, folder), .. provided]);
        result.AssertPassed();
        return result.Summary;
    }

    /// <summary>A peer's pod labels as sorted <c>key=value</c> pairs ("" for a peer named otherwise).</summary>
    private static string Labels(JsonElement peer) =>
        peer.ValueKind == JsonValueKind.Object
            ? string.Join(',', peer.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}").Order(StringComparer.Ordinal))
            : "";

    private static JsonElement Workload(JsonElement summary, string name) =>
        summary.GetProperty("workloads").EnumerateArray().Single(w => w.GetProperty("name").GetString() == name);

    private static IEnumerable<(string? Kind, string? Name, string? Namespace)> Objects(JsonElement summary) =>
        summary.GetProperty("objects").EnumerateArray().Select(o => (o.GetProperty("kind").GetString(), o.GetProperty("name").GetString(), o.GetProperty("namespace").GetString()));
}
