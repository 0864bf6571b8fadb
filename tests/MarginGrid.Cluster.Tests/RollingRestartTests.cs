using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MarginGrid.Cluster.Tests;

/// <summary>Every silo of three restarted in turn (SIGTERM, exit, start on the same ports) while clients read and write.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private const int Accounts = 12;
    private const int Opening = 1000;

    [Fact]
    public async Task A_rolling_restart_under_traffic_answers_only_retryable_503s_and_loses_nothing()
    {
        var figures = new Figures(output, "rolling restart");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var accounts = Enumerable.Range(0, Accounts).Select(i => $"roll-{i:D2}").ToList();
        foreach (var account in accounts)
        {
            await cluster.Api.Ok(HttpMethod.Post, $"/v1/accounts/{account}/deposits",
                new { transferId = $"open-{account}", asset = "USDT", amount = Opening.ToString(CultureInfo.InvariantCulture) });
        }

        var traffic = new RollingTraffic(cluster, accounts, "roll");
        using var stop = new CancellationTokenSource();
        var clients = Task.WhenAll(
            traffic.Write(stop.Token), traffic.Write(stop.Token), traffic.Write(stop.Token),
            traffic.Read(stop.Token), traffic.Read(stop.Token));

        var clock = Stopwatch.StartNew();
        await MoreAcknowledged(traffic, 20);
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            var restarting = clock.Elapsed;
            var silo = await cluster.Restart(cluster.Silos[i], TimeSpan.FromSeconds(90));
            figures.Seconds($"silo {silo.Number} stopped and ready again", clock.Elapsed - restarting);

            // Traffic goes on through the restarted silo's cluster before the next one stops.
            await MoreAcknowledged(traffic, 20);
        }

        await stop.CancelAsync();
        await clients;

        foreach (var violation in traffic.Violations)
        {
            output.WriteLine(violation);
        }

        if (traffic.Violations.Count > 0)
        {
            // What the silos logged about each unhandled exception: the 500's cause.
            foreach (var silo in cluster.Silos)
            {
                var lines = File.ReadAllLines(silo.LogPath);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].Contains("ExceptionHandlerMiddleware", StringComparison.Ordinal))
                    {
                        output.WriteLine($"silo {silo.Number}: {string.Join('\n', lines.Skip(i).Take(14))}");
                    }
                }
            }
        }

        figures.Add("deposits acknowledged", traffic.AcknowledgedTotal);
        figures.Add("margin reads answered", traffic.Reads);
        figures.Add("503s seen", traffic.Unavailable);
        figures.Add("deposits sent again (same id)", traffic.Resends);
        figures.Add("replays (Idempotent-Replayed)", traffic.Replays);
        figures.Add("answers a venue client must not see", traffic.Violations.Count);
        Assert.Empty(traffic.Violations);

        // Each opening deposit, acknowledged before the first restart, sent again with its id: a replay, nothing moved.
        var notReplayed = new List<string>();
        foreach (var account in accounts)
        {
            var resent = await cluster.Api.Send(HttpMethod.Post, $"/v1/accounts/{account}/deposits",
                new { transferId = $"open-{account}", asset = "USDT", amount = Opening.ToString(CultureInfo.InvariantCulture) });
            if (resent.Status != System.Net.HttpStatusCode.OK || !resent.Replayed)
            {
                notReplayed.Add($"open-{account}: {(int)resent.Status}, replayed={resent.Replayed}, {resent.Body}");
            }
        }

        figures.Add("opening deposits resent after the roll, answered as replays", $"{accounts.Count - notReplayed.Count} of {accounts.Count}");
        Assert.True(notReplayed.Count == 0, $"resent after the roll and not answered as a replay:\n{string.Join('\n', notReplayed)}");

        // Nothing lost, nothing twice: every account holds its opening deposit plus one per acknowledged deposit.
        foreach (var account in accounts)
        {
            var margin = await cluster.Api.Ok(HttpMethod.Get, $"/v1/accounts/{account}/margin");
            var expected = Opening + traffic.Acknowledged.GetValueOrDefault(account);
            Assert.Equal((decimal)expected, WalletBalance(margin));
        }

        var report = await new TradingScenario(cluster, "roll").ReconcileExact();
        figures.Add("reconciliation", $"exact={report.GetProperty("exact")} transactions={report.GetProperty("transactions")}");
    }

    private static async Task MoreAcknowledged(RollingTraffic traffic, int more)
    {
        var target = traffic.AcknowledgedTotal + more;
        await Until.True(() => Task.FromResult(traffic.AcknowledgedTotal >= target), TimeSpan.FromSeconds(120), $"traffic did not reach {target} acknowledged deposits");
    }

    private static decimal WalletBalance(JsonElement margin) =>
        margin.GetProperty("scopes").EnumerateArray()
            .Where(s => s.GetProperty("settleAsset").GetString() == "USDT")
            .Sum(s => decimal.Parse(s.GetProperty("walletBalance").GetString()!, CultureInfo.InvariantCulture));
}
