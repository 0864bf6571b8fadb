using MarginGrid.Client;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>
/// The operator CLI finds the cluster as the silos are configured: flags first, then the silo's own environment
/// variables; a cluster it cannot reach is an error naming it, after the connect timeout, not a hang.
/// </summary>
public sealed class ClientTargetTests
{
    [Fact]
    public void The_silos_environment_selects_the_durable_cluster()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = "redis-1:6379,password=secret,abortConnect=false",
            ["Orleans__ClusterId"] = "local",
            ["Orleans__ServiceId"] = "venue",
            ["MARGINGRID_CONNECT_TIMEOUT"] = "7",
        };
        var (target, remaining) = ClientTarget.From(["reconcile"], name => environment.GetValueOrDefault(name));

        Assert.Equal(["reconcile"], remaining);
        Assert.Equal("redis-1:6379,password=secret,abortConnect=false", target.Redis);
        Assert.Equal("local", target.ClusterId);
        Assert.Equal("venue", target.ServiceId);
        Assert.Equal(TimeSpan.FromSeconds(7), target.ConnectTimeout);

        // Messages name the cluster and Redis' address, never its password.
        Assert.Contains("cluster 'local'", target.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", target.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Flags_win_over_the_environment_and_without_redis_the_target_is_a_localhost_gateway()
    {
        var environment = new Dictionary<string, string> { ["Orleans__ClusterId"] = "from-env", ["Orleans__GatewayPort"] = "30010" };
        var (durable, rest) = ClientTarget.From(["--redis", "127.0.0.1:6390", "--cluster-id", "from-flag", "--connect-timeout", "3", "market", "BTCUSDT"], name => environment.GetValueOrDefault(name));
        Assert.Equal(["market", "BTCUSDT"], rest);
        Assert.Equal("127.0.0.1:6390", durable.Redis);
        Assert.Equal("from-flag", durable.ClusterId);
        Assert.Equal(TimeSpan.FromSeconds(3), durable.ConnectTimeout);

        var (local, _) = ClientTarget.From(["account", "a-1"], name => environment.GetValueOrDefault(name));
        Assert.Null(local.Redis);
        Assert.Equal(30010, local.GatewayPort);
        Assert.Equal(ClientTarget.DefaultConnectTimeout, local.ConnectTimeout);

        var (defaults, _) = ClientTarget.From(["reconcile"], _ => null);
        Assert.Equal((null, "margingrid", "margingrid", 30000), (defaults.Redis, defaults.ClusterId, defaults.ServiceId, defaults.GatewayPort));
        Assert.Throws<ArgumentException>(() => ClientTarget.From(["--gateway", "http", "reconcile"], _ => null));
    }

    [Fact]
    public async Task A_cluster_nobody_answers_for_is_an_error_naming_it_not_a_hang()
    {
        // Nothing listens on port 1 of the loopback address.
        var target = new ClientTarget(null, "margingrid", "margingrid", 1, TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<ClusterUnreachableException>(() => GridConnection.Connect(target));
        Assert.Contains("Could not reach the localhost cluster on gateway port 1", error.Message, StringComparison.Ordinal);
    }
}
