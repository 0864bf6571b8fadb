using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace MarginGrid.Cluster.Tests;

/// <summary>PostgreSQL (the ledger) down for a while: commands refused clearly, nothing half-applied, work resumes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Commands_are_refused_while_the_ledger_is_down_and_resume_when_it_is_back()
    {
        var figures = new Figures(output, "PostgreSQL outage");
        await using var cluster = await DurableCluster.Start(silos: 3);
        var scenario = new TradingScenario(cluster, "pg");
        await scenario.Open(longs: 6, shorts: 2);
        var before = await Wallets(cluster, scenario.Accounts);

        await cluster.Postgres.Stop();
        var refused = new List<(string Account, string TransferId)>();
        var codes = new HashSet<string>();
        foreach (var account in scenario.Accounts)
        {
            var transferId = $"during-outage-{account}";
            var (status, body) = await GridApi.Once(cluster.Silos[0], HttpMethod.Post, $"/v1/accounts/{account}/deposits",
                new { transferId, asset = "USDT", amount = "5" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            codes.Add(body.GetProperty("code").GetString()!);
            refused.Add((account, transferId));
        }

        // A reader of the whole ledger (reconciliation) is refused the same way: a retryable 503, never a 500.
        var (reconcileStatus, reconcileBody) = await GridApi.Once(cluster.Silos[0], HttpMethod.Post, "/v1/admin/reconciliation");
        Assert.True(reconcileStatus == HttpStatusCode.ServiceUnavailable, $"reconciliation during the outage: {(int)reconcileStatus} {reconcileBody}");
        codes.Add(reconcileBody.GetProperty("code").GetString()!);

        var clock = Stopwatch.StartNew();
        await cluster.Postgres.Start();

        // Nothing of the refused commands was applied: every balance is what it was.
        Assert.Equal(before, await Wallets(cluster, scenario.Accounts));
        figures.Add("commands refused during the outage", $"{refused.Count} (codes: {string.Join(", ", codes)})");

        // The same ids again: applied now, once each.
        foreach (var (account, transferId) in refused)
        {
            await scenario.Deposit(account, transferId, 5m);
        }

        figures.Seconds("refused commands all applied after PostgreSQL came back", clock.Elapsed);
        var after = await Wallets(cluster, scenario.Accounts);
        Assert.All(scenario.Accounts, a => Assert.Equal(before[a] + 5m, after[a]));

        await scenario.AssertNothingLost(figures);
        Assert.Equal(["ledger_unavailable"], codes);
    }

    private static async Task<Dictionary<string, decimal>> Wallets(DurableCluster cluster, IReadOnlyList<string> accounts)
    {
        var wallets = new Dictionary<string, decimal>();
        foreach (var account in accounts)
        {
            var margin = await cluster.Api.Ok(HttpMethod.Get, $"/v1/accounts/{account}/margin");
            wallets[account] = margin.GetProperty("scopes").EnumerateArray()
                .Where(s => s.GetProperty("mode").GetString() == "cross")
                .Sum(s => decimal.Parse(s.GetProperty("walletBalance").GetString()!, CultureInfo.InvariantCulture));
        }

        return wallets;
    }
}
