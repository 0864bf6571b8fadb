using System.Collections.Immutable;
using System.Text.Json;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Durable.Ledger;
using MarginGrid.Durable.Liquidations;
using Npgsql;

namespace MarginGrid.Cluster.Tests;

/// <summary>
/// Liquidation records in the real archive (PostgreSQL): appended once whatever is retried, paged exactly, and
/// still all there after a silo kill, a restart of every silo and the loss of everything Redis held.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LiquidationArchiveTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_survive_a_kill_mid_cascade_a_restart_of_every_silo_and_the_loss_of_all_Redis_state()
    {
        var figures = new Figures(output, "liquidation archive: kill, full restart, Redis FLUSHALL");
        await using var cluster = await DurableCluster.Start(silos: 2);
        var scenario = new TradingScenario(cluster, "archive");
        await scenario.Open(longs: 16);

        // A cascade with a silo killed in it: its coordinator partitions resume elsewhere and append again.
        var victim = cluster.Silos[1];
        for (var price = 29900m; price >= 29500m; price -= 20m)
        {
            await scenario.Mark(price);
            if (price == 29700m)
            {
                victim.KillNine();
            }
        }

        await scenario.Mark(29000m);
        await scenario.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        await Until.True(async () => (await Closed(cluster)).Count == scenario.Longs.Count, TimeSpan.FromSeconds(120),
            "a closed record of every long in the archive");
        var before = await Records(cluster);
        figures.Add("records archived", before.Count);
        figures.Add("mean stored record (jsonb bytes)", await LedgerFacts.Scalar(cluster.Postgres.ConnectionString, "SELECT avg(pg_column_size(record))::bigint FROM mg_liquidations"));
        figures.Add("mean record as the API writes it (bytes)", (long)before.Values.Average(json => json.Length));
        Assert.Equal(before.Count, await LedgerFacts.Scalar(cluster.Postgres.ConnectionString, "SELECT count(DISTINCT liquidation_id) FROM mg_liquidations"));
        Assert.Equal(before.Count, await LedgerFacts.Scalar(cluster.Postgres.ConnectionString, "SELECT count(*) FROM mg_liquidations"));

        // Every silo down, Redis emptied (membership, coordinator state, reminders), every silo started again.
        await cluster.RestartAll(() =>
        {
            cluster.Redis.Cli("FLUSHALL");
            Assert.Equal("0", cluster.Redis.Cli("DBSIZE").Trim());
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(60));

        var after = await Records(cluster);
        Assert.Equal(before, after);
        foreach (var (id, json) in after)
        {
            Assert.Equal(json, (await cluster.Api.Ok(HttpMethod.Get, $"/v1/liquidations/{id}")).GetRawText());
        }

        Assert.Equal(scenario.Longs.Order(StringComparer.Ordinal), (await Closed(cluster)).Order(StringComparer.Ordinal));

        // A second cascade after the loss: the coordinators' state, counters included, is gone, yet no id comes
        // back (the fund's fee and payout are keyed by it), and the fund holds exactly what the records say.
        var second = new TradingScenario(cluster, "archive2");
        await second.Open(longs: 8, shorts: 2);
        for (var price = 29900m; price >= 29500m; price -= 100m)
        {
            await second.Mark(price);
        }

        await second.Mark(29000m);
        await second.AllLongsLiquidated(TimeSpan.FromSeconds(180));
        var everyLong = scenario.Longs.Concat(second.Longs).Order(StringComparer.Ordinal).ToList();
        await Until.True(async () => (await Closed(cluster)).Count == everyLong.Count, TimeSpan.FromSeconds(120),
            "a closed record of every long of both cascades in the archive");
        Assert.Equal(everyLong, (await Closed(cluster)).Order(StringComparer.Ordinal));
        var all = await Records(cluster);
        foreach (var (id, json) in before)
        {
            // Never overwritten (the archive keeps a record's first row): a reused id would show as a missing record.
            Assert.Equal(json, all[id]);
        }

        Assert.Equal(all.Count, await LedgerFacts.Scalar(cluster.Postgres.ConnectionString, "SELECT count(DISTINCT liquidation_id) FROM mg_liquidations"));
        figures.Add("records after the second cascade", all.Count);
        var fund = await cluster.Api.Ok(HttpMethod.Get, "/v1/insurance-fund/USDT");
        var records = all.Values.Select(json => JsonDocument.Parse(json).RootElement).ToList();
        Assert.Equal(records.Sum(r => Text(r.GetProperty("fee"))), Text(fund.GetProperty("totalFees")));
        Assert.Equal(records.Sum(r => Text(r.GetProperty("fundPayout"))), Text(fund.GetProperty("totalPayouts")));

        // The summary is kept with the archive, not in Redis: it counts both cascades, each record once.
        var summary = await cluster.Api.Ok(HttpMethod.Get, "/v1/liquidations/summary");
        Assert.Equal(all.Count, summary.GetProperty("events").GetInt64());
        Assert.Equal(records.Sum(r => Text(r.GetProperty("fee"))), Text(summary.GetProperty("fees")));
        Assert.Equal(records.Sum(r => Text(r.GetProperty("fundPayout"))), Text(summary.GetProperty("fundPayouts")));
    }

    private static decimal Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? decimal.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetDecimal();

    [Fact]
    public async Task An_append_retried_after_a_lost_confirmation_adds_nothing_and_pages_neither_skip_nor_repeat()
    {
        var scratch = DurableCluster.NewScratch();
        var postgres = await PostgresServer.Create(scratch);
        try
        {
            await using var source = NpgsqlDataSource.Create(postgres.ConnectionString);
            await LedgerSchema.Migrate(source, CancellationToken.None);
            await AppendAndPage(new PostgresLiquidationArchive(source), source);
        }
        finally
        {
            postgres.Dispose();
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task AppendAndPage(PostgresLiquidationArchive archive, NpgsqlDataSource source)
    {

        var records = Enumerable.Range(1, 7).Select(i => Record($"L{i % 8}-{i}", i % 2 == 0 ? "even" : "odd", i % 3 == 0 ? "ETH-PERP" : "BTC-PERP", i)).ToList();
        await archive.Append(records[..5]);

        // The same batch again (its confirmation was lost), twice at once, with a changed copy of one record
        // and two new ones: the stored rows keep their first version and position, the new ones come after.
        var changed = records[2] with { Status = "changed", Fee = 99m };
        await Task.WhenAll(archive.Append([.. records[..2], changed, .. records[3..]]), archive.Append(records));
        Assert.Equal(7, await Count(source, "SELECT count(*) FROM mg_liquidations"));
        var stored = await archive.Find(records[2].LiquidationId);
        Assert.Equal(Json(records[2]), Json(stored!));
        Assert.Equal(0.000000001m, stored!.Steps[0].Amount);
        Assert.Equal("1.50", stored.Fee.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The summary counts each record once, in its first version, however often it was appended.
        var summary = await archive.Summary();
        Assert.Equal(7, summary.Events);
        Assert.Equal(new Dictionary<string, long> { ["closed"] = 7 }, summary.ByStatus);
        Assert.Equal(new Dictionary<string, long> { ["fee"] = 7 }, summary.ByStep);
        Assert.Equal(10.50m, summary.Fees);

        var newest = await All(archive, new LiquidationQuery(null, null, null, null, false, null, 2));
        Assert.Equal(records.Select(r => r.LiquidationId).Reverse(), newest);
        var oldest = await All(archive, new LiquidationQuery(null, null, null, null, true, null, 3));
        Assert.Equal(records.Select(r => r.LiquidationId), oldest);
        Assert.Equal(["L6-6", "L4-4", "L2-2"], await All(archive, new LiquidationQuery("even", null, null, null, false, null, 1)));
        Assert.Equal(["L6-6", "L3-3"], await All(archive, new LiquidationQuery(null, "ETH-PERP", null, null, false, null, 1)));
        Assert.Equal(["L3-3", "L4-4"], await All(archive, new LiquidationQuery(null, null, At.AddMinutes(3), At.AddMinutes(5), true, null, 10)));
        Assert.Equal(["L4-4"], await All(archive, new LiquidationQuery("even", "BTC-PERP", At.AddMinutes(3), At.AddMinutes(5), true, null, 10)));
        Assert.Null(await archive.Find("L0-999"));

        // Records archived before the totals existed are counted by migration 014's back-fill: run over these
        // records with the totals emptied, it gives back the same summary.
        await Count(source, "DELETE FROM mg_liquidation_totals RETURNING 1");
        var backfill = LedgerSchema.Migrations.Single(m => m.Version == 14).Sql;
        await Count(source, backfill[backfill.IndexOf("INSERT INTO mg_liquidation_totals", StringComparison.Ordinal)..].TrimEnd().TrimEnd(';') + " RETURNING 1");
        Assert.Equal(JsonSerializer.Serialize(summary), JsonSerializer.Serialize(await archive.Summary()));

        // Append-only: an operator's UPDATE is refused.
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Count(source, "UPDATE mg_liquidations SET status = 'x' RETURNING 1"));
        Assert.Contains("append-only", refused.MessageText, StringComparison.OrdinalIgnoreCase);
    }

    private static LiquidationRecord Record(string id, string account, string symbol, int minute) => new(
        id,
        new BreachReport($"b-{id}", account, new ScopeKey("USDT", null), -1.25m, 10.5m, [new MarkAtBreach(symbol, 29000.5m, minute)], At.AddMinutes(minute)),
        "closed",
        [new LiquidationStep("fee", null, 0m, 0m, 0.000000001m, null, At.AddMinutes(minute).AddSeconds(1))],
        1.50m, 0m, 0m, 0m, At.AddMinutes(minute), At.AddMinutes(minute).AddSeconds(2), "0123456789abcdef0123456789abcdef", minute);

    private static string Json(LiquidationRecord record) => JsonSerializer.Serialize(record);

    private static async Task<List<string>> All(PostgresLiquidationArchive archive, LiquidationQuery query)
    {
        var ids = new List<string>();
        while (true)
        {
            var page = await archive.Page(query);
            Assert.True(page.Items.Length <= query.Limit);
            ids.AddRange(page.Items.Select(r => r.LiquidationId));
            if (page.Next is not { } next)
            {
                return ids;
            }

            query = query with { After = next };
        }
    }

    private static async Task<long> Count(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every archived record of the scenario's market, by id, as the API writes it.</summary>
    private static async Task<ImmutableSortedDictionary<string, string>> Records(DurableCluster cluster)
    {
        var page = await cluster.Api.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={TradingScenario.Symbol}&limit=1000");
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        return page.GetProperty("items").EnumerateArray()
            .ToImmutableSortedDictionary(r => r.GetProperty("liquidationId").GetString()!, r => r.GetRawText(), StringComparer.Ordinal);
    }

    /// <summary>The accounts with a closed record in the archive.</summary>
    private static async Task<List<string>> Closed(DurableCluster cluster)
    {
        var page = await cluster.Api.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={TradingScenario.Symbol}&limit=1000");
        return [.. page.GetProperty("items").EnumerateArray()
            .Where(r => r.GetProperty("status").GetString() == "closed")
            .Select(r => r.GetProperty("breach").GetProperty("accountId").GetString()!)
            .Distinct()];
    }
}
