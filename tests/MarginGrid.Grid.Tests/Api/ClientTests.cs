using System.Text.Json.Nodes;
using MarginGrid.Abstractions.Operations;
using MarginGrid.Client;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grid.Tests.Support;

namespace MarginGrid.Grid.Tests.Api;

/// <summary>The Orleans client and its command-line tool, against the host's real gateway.</summary>
[Collection(GridCollection.Name)]
public sealed class ClientTests(GridApp app)
{
    [Fact]
    public async Task The_client_reads_live_margin_markets_and_liquidations_without_http()
    {
        await app.Admin.DefineMarket("CLIUSDT", Specs.Linear("CLI"));
        await app.Admin.Mark("CLIUSDT", "250");
        await app.Admin.Deposit("cli-1", "d1", "CLI", "777");

        await using var connection = await GridConnection.Connect(gatewayPort: app.GatewayPort);
        using var output = new StringWriter();
        Assert.Equal(0, await ClientCommands.Run(connection.Client, ["account", "cli-1"], output));
        // Money as decimal strings, never JSON numbers.
        Assert.Contains("\"walletBalance\": \"777\"", output.ToString(), StringComparison.Ordinal);

        using var market = new StringWriter();
        Assert.Equal(0, await ClientCommands.Run(connection.Client, ["market", "CLIUSDT"], market));
        Assert.Contains("\"markPrice\": \"250\"", market.ToString(), StringComparison.Ordinal);

        using var liquidations = new StringWriter();
        Assert.Equal(0, await ClientCommands.Run(connection.Client, ["liquidations", "--account", "cli-1"], liquidations));
        Assert.Empty(JsonNode.Parse(liquidations.ToString())!["items"]!.AsArray());
        Assert.Equal(1, await ClientCommands.Run(connection.Client, ["nonsense"], TextWriter.Null));
    }

    [Fact]
    public async Task The_client_names_the_gateway_silo_it_reached()
    {
        Assert.True((await app.Anonymous.Get("/healthz")).IsSuccess);
        await using var connection = await GridConnection.Connect(new ClientTarget(null, "margingrid", "margingrid", app.GatewayPort, TimeSpan.FromSeconds(30)));
        var silo = await connection.Client.GetGrain<ISiloInfoGrain>(0).Describe();
        Assert.EndsWith($":{app.GatewayPort}", silo.Gateway, StringComparison.Ordinal);
        Assert.Equal(GridBuild.Version, silo.Version);
        Assert.Equal(GridBuild.Build, silo.Build);
    }
}
