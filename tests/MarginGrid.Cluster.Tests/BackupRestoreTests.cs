using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// The runbook's backup and restore (docs/operations.md, section 6) on real processes: a PostgreSQL base backup
/// with WAL archiving on, a copy of Redis's appendonlydir, and a point-in-time recovery into a scratch cluster
/// on new ports and folders, beside the live one.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_backup_restored_beside_the_live_cluster_holds_every_balance_fund_and_liquidation_and_replays_as_documented()
    {
        var figures = new Figures(output, "backup and restore");
        await using var live = await DurableCluster.Start(silos: 2);
        var scenario = new TradingScenario(live, "backup");
        await scenario.Open(longs: 6, shorts: 2);
        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        await scenario.ReconcileExact();

        // The backup: a base backup, then the append-only folder.
        var backup = Path.Combine(live.Scratch, "backup");
        Directory.CreateDirectory(backup);
        live.Postgres.BaseBackup(Path.Combine(backup, "pg"));
        await live.Redis.CopyAppendOnlyDir(Path.Combine(backup, "appendonlydir"));

        // Acknowledged after the base backup: only WAL replay from the archive brings these back.
        var late = new List<(string Account, string TransferId)>();
        foreach (var account in scenario.Accounts.Take(3).Append("backup-late-000"))
        {
            var transferId = $"late-{account}";
            await scenario.Deposit(account, transferId, 5m);
            late.Add((account, transferId));
        }

        await live.Postgres.ArchiveCurrentWal();
        var accounts = scenario.Accounts.Append("backup-late-000").ToList();
        var balances = await Balances(live, accounts);
        var fund = await FundBalance(live);
        var liquidations = await Liquidations(live);
        var original = await scenario.ReconcileExact();
        Assert.NotEmpty(liquidations);

        // The restore, into new folders on new ports, while the live cluster runs on.
        var clock = Stopwatch.StartNew();
        var scratch = DurableCluster.NewScratch();
        var postgres = await PostgresServer.Restore(scratch, Path.Combine(backup, "pg"), live.Postgres.WalArchive);
        RedisServer redis;
        try
        {
            redis = await RedisServer.CreateFrom(scratch, Path.Combine(backup, "appendonlydir"));
        }
        catch
        {
            postgres.Dispose();
            throw;
        }

        // The copy describes the live silos as Active; a restored silo would wait on them. The runbook deletes the table.
        var livePorts = live.Silos.Select(s => s.SiloPort).ToHashSet();
        var copied = MembershipRows.Read(redis, DurableCluster.ClusterId);
        Assert.Contains(copied, r => livePorts.Contains(r.SiloPort) && r.Status == MembershipRows.Active);
        redis.Cli("DEL", MembershipRows.Key(DurableCluster.ClusterId));
        figures.Seconds("PostgreSQL recovered and Redis loaded", clock.Elapsed);

        var joining = clock.Elapsed;
        await using var restored = await DurableCluster.StartOn(scratch, postgres, redis, silos: 2);
        figures.Seconds("restored silos joined and ready", clock.Elapsed - joining);

        var restoredPorts = restored.Silos.Select(s => s.SiloPort).ToHashSet();
        await Until.True(() => Task.FromResult(MembershipRows.Read(redis, DurableCluster.ClusterId)
            .Count(r => restoredPorts.Contains(r.SiloPort) && r.Status == MembershipRows.Active) == restoredPorts.Count),
            TimeSpan.FromSeconds(60), "the restored silos are not all Active");
        var membership = MembershipRows.Read(redis, DurableCluster.ClusterId);
        Assert.DoesNotContain(membership, r => livePorts.Contains(r.SiloPort));
        figures.Seconds("restore, end to end", clock.Elapsed);

        Assert.Equal(balances, await Balances(restored, accounts));
        Assert.Equal(fund, await FundBalance(restored));
        Assert.Equal(liquidations, await Liquidations(restored));
        var report = await new TradingScenario(restored, "backup").ReconcileExact();
        Assert.Equal(original.GetProperty("transactions").GetInt32(), report.GetProperty("transactions").GetInt32());
        figures.Add("restored reconciliation", $"exact={report.GetProperty("exact")} accounts={report.GetProperty("accounts")} transactions={report.GetProperty("transactions")}");

        // Commands acknowledged before the backup and after it (replayed from WAL) answer as replays and move nothing.
        foreach (var (account, transferId) in late.Prepend((scenario.Accounts[0], $"open-{scenario.Accounts[0]}")))
        {
            var amount = transferId.StartsWith("late-", StringComparison.Ordinal) ? "5" : Opening(scenario, account);
            using var response = await restored.Silos[0].Http.PostAsJsonAsync($"/v1/accounts/{account}/deposits", new { transferId, asset = "USDT", amount });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Single() == "true", $"{transferId} was not answered as a replay");
        }

        Assert.Equal(balances, await Balances(restored, accounts));
        Assert.Equal(fund, await FundBalance(restored));
    }

    /// <summary>The amount TradingScenario.Open deposited to open this account.</summary>
    private static string Opening(TradingScenario scenario, string account)
    {
        var i = scenario.Longs.ToList().IndexOf(account);
        var amount = i >= 0 ? 400m + (10m * (i * 60 / Math.Max(1, scenario.Longs.Count))) : 100000m;
        return amount.ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<Dictionary<string, string>> Balances(DurableCluster cluster, IEnumerable<string> accounts)
    {
        var balances = new Dictionary<string, string>();
        foreach (var account in accounts)
        {
            var margin = await cluster.Api.Ok(HttpMethod.Get, $"/v1/accounts/{account}/margin");
            balances[account] = string.Join(";", margin.GetProperty("scopes").EnumerateArray()
                .Select(s => $"{s.GetProperty("settleAsset").GetString()}/{s.GetProperty("mode").GetString()}/{s.GetProperty("symbol")}={s.GetProperty("walletBalance").GetString()}")
                .Order(StringComparer.Ordinal));
        }

        return balances;
    }

    private static async Task<string> FundBalance(DurableCluster cluster) =>
        (await cluster.Api.Ok(HttpMethod.Get, "/v1/insurance-fund/USDT")).GetProperty("balance").GetString()!;

    private static async Task<List<string>> Liquidations(DurableCluster cluster)
    {
        var records = await cluster.Api.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={TradingScenario.Symbol}&limit=1000");
        return [.. records.GetProperty("items").EnumerateArray().Select(r => r.GetRawText()).Order(StringComparer.Ordinal)];
    }
}
