using System.Net;
using System.Text.Json.Nodes;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Grid.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MarginGrid.Grid.Tests.Liquidations;

/// <summary>
/// Every finished liquidation is in the archive and <c>GET /v1/liquidations</c> pages over all of them. Breaches
/// are escalated straight to the coordinator with an empty scope, so each liquidation starts, finds nothing in
/// breach and ends ("cancelled"): thousands of records without thousands of trades.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class LiquidationArchiveTests(GridApp app)
{
    private readonly Support.Api _admin = app.Admin;
    private readonly IGrainFactory _grains = app.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task Over_two_thousand_records_of_one_partition_and_others_are_all_paged_newest_first_without_gaps_or_repeats()
    {
        var symbol = Unique("AP");

        // More than the 2,000 a partition used to keep, all in partition 5; and some in every partition.
        // In batches: a burst of thousands of breaches on one partition is a backlog of its own, not what this test is about.
        var crowded = new List<string>();
        for (var batch = 0; batch < 41; batch++)
        {
            crowded.AddRange(await Task.WhenAll(Enumerable.Range(batch * 50, 50).Select(i => Escalate(5, $"arp-{symbol}-{i}", "ARP", symbol))));
            await Archived(symbol, crowded.Count);
        }

        var spread = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => Escalate(null, $"arq-{symbol}-{i}", "ARP", symbol)));
        string[] all = [.. crowded, .. spread];
        Assert.Equal(LiquidationPartitions.Count, all.Select(id => LiquidationPartitions.OfLiquidation(id)).Distinct().Count());
        await Archived(symbol, all.Length);

        var newest = await PageAll($"symbol={symbol}&limit=250");
        Assert.Equal(all.Length, newest.Count);
        Assert.Equal(all.Order(StringComparer.Ordinal), newest.Order(StringComparer.Ordinal));
        var oldest = await PageAll($"symbol={symbol}&limit=333&order=oldest");
        Assert.Equal(Enumerable.Reverse(oldest), newest);
        Assert.All(await Records($"symbol={symbol}&limit=1000"), r => Assert.Equal("cancelled", r!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_cursor_keeps_its_place_while_new_records_arrive_and_the_next_first_page_starts_with_them()
    {
        var symbol = Unique("AS");
        var first = await Task.WhenAll(Enumerable.Range(0, 120).Select(i => Escalate(null, $"ars-{symbol}-{i}", "ARS", symbol)));
        await Archived(symbol, first.Length);

        var page = await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}&limit=50");
        var seen = Ids(page);
        var cursor = page["nextCursor"]!.GetValue<string>();

        var later = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Escalate(null, $"ars2-{symbol}-{i}", "ARS", symbol)));
        await Archived(symbol, first.Length + later.Length);

        seen.AddRange(await PageAll($"symbol={symbol}&limit=50", cursor));
        Assert.Equal(first.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        var fresh = await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}&limit=30");
        Assert.Equal(later.Order(StringComparer.Ordinal), Ids(fresh).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Filters_by_account_symbol_and_start_time_and_an_account_key_sees_only_its_own()
    {
        var symbol = Unique("AF");
        var other = Unique("AG");
        var account = $"arf-{symbol}";
        // One at a time, so the archive order is known.
        var early = new List<string>();
        foreach (var asset in new[] { "AFA", "AFB" })
        {
            early.Add(await Escalate(null, account, asset, symbol));
            await Archived(symbol, early.Count);
        }

        var stranger = await Escalate(null, $"arf-x-{symbol}", "AFA", symbol);
        var owners = await Escalate(null, GridApp.OwnerAccount, "AFO" + symbol[^4..], other);
        await Archived(symbol, 3);
        await Archived(other, 1);
        var lastEarly = (await Records($"accountId={account}&limit=10")).Max(r => DateTimeOffset.Parse(r!["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var late = await Escalate(null, account, "AFC", other);
        await Archived(other, 2);

        Assert.Equal([late, .. Enumerable.Reverse(early)], Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?accountId={account}")));
        Assert.Equal([late], Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?accountId={account}&symbol={other}")));
        var boundary = Uri.EscapeDataString(lastEarly.AddTicks(1).ToString("o", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([late], Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?accountId={account}&from={boundary}")));
        Assert.Equal([.. Enumerable.Reverse(early)], Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?accountId={account}&to={boundary}")));
        Assert.Contains(stranger, Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}")));

        // An account key lists its own records only, with or without naming its account; another account is 403.
        var owner = app.Owner;
        Assert.Equal([owners], Ids(await owner.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={other}")));
        Assert.Empty(Ids(await owner.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}")));
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Get($"/v1/liquidations?accountId={account}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Get($"/v1/liquidations/{late}")).Status);
    }

    [Fact]
    public async Task A_cursor_that_was_altered_or_is_reused_with_other_filters_is_refused()
    {
        var symbol = Unique("AC");
        await Task.WhenAll(Enumerable.Range(0, 5).Select(i => Escalate(null, $"arc-{symbol}-{i}", "ARC", symbol)));
        await Archived(symbol, 5);
        var cursor = (await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}&limit=2"))["nextCursor"]!.GetValue<string>();
        Assert.Equal(2, Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}&limit=2&cursor={cursor}")).Count);

        for (var i = 0; i < cursor.Length; i++)
        {
            var altered = cursor[..i] + (cursor[i] == 'A' ? 'B' : 'A') + cursor[(i + 1)..];
            var reply = await _admin.Get($"/v1/liquidations?symbol={symbol}&limit=2&cursor={altered}");
            Assert.True(reply.Status == HttpStatusCode.BadRequest && reply.Code == "invalid_paging", $"altered at {i}: {(int)reply.Status} {reply.Body}");
        }

        Assert.Equal("invalid_paging", (await _admin.Get($"/v1/liquidations?symbol={Unique("AD")}&limit=2&cursor={cursor}")).Code);
        Assert.Equal("invalid_paging", (await _admin.Get($"/v1/liquidations?symbol={symbol}&limit=2&order=oldest&cursor={cursor}")).Code);
    }

    [Fact]
    public async Task An_unknown_account_is_an_empty_page_and_creates_nothing()
    {
        var nobody = $"nobody-{Unique("N").ToLowerInvariant()}";
        var page = await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?accountId={nobody}");
        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["nextCursor"]);
        Assert.Equal("unknown_account", (await _admin.Get($"/v1/accounts/{nobody}/margin")).Code);
    }

    [Fact]
    public async Task A_running_liquidation_is_read_from_its_coordinator_and_a_finished_one_from_the_archive()
    {
        // A market without a mark: the liquidation waits for one (no one is liquidated on a stale price).
        var symbol = Unique("AR");
        await _admin.DefineMarket(symbol, Specs.Linear("ARR"));
        var scope = new ScopeKey("ARR", null);
        var snapshot = new ScopeState(scope, true, true, 1_000m, 1_000m, 10m, [new ScopePosition(symbol, 1m, 100m, 0m, 0)], 1);
        var id = await _grains.GetGrain<ILiquidationCoordinatorGrain>(LiquidationPartitions.Of("arr-1"))
            .Escalate(Breach("arr-1", scope, symbol, snapshot));

        var running = await _admin.Ok(HttpMethod.Get, $"/v1/liquidations/{id}");
        Assert.Equal("running", running["status"]!.GetValue<string>());
        Assert.Empty(Ids(await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}")));

        // At 100 the position is far from its maintenance margin: the liquidation ends, and is archived.
        await _admin.Mark(symbol, "100");
        var finished = await Eventually.Get(() => _admin.Ok(HttpMethod.Get, $"/v1/liquidations/{id}"),
            r => r["status"]!.GetValue<string>() != "running", "the liquidation ending");
        Assert.Equal("cancelled", finished["status"]!.GetValue<string>());
        Assert.Equal([id], Ids(await Eventually.Get(() => _admin.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={symbol}"),
            p => p["items"]!.AsArray().Count == 1, "the record archived")));
        Assert.Equal(finished.ToJsonString(), (await _admin.Ok(HttpMethod.Get, $"/v1/liquidations/{id}")).ToJsonString());
    }

    private async Task<string> Escalate(int? partition, string account, string asset, string symbol)
    {
        var scope = new ScopeKey(asset, null);
        var snapshot = new ScopeState(scope, false, false, 0m, 0m, 0m, [], 1);
        return await _grains.GetGrain<ILiquidationCoordinatorGrain>(partition ?? LiquidationPartitions.Of(account))
            .Escalate(Breach(account, scope, symbol, snapshot));
    }

    private static BreachReport Breach(string account, ScopeKey scope, string symbol, ScopeState snapshot) =>
        new($"breach-{Guid.NewGuid():N}", account, scope, snapshot.MarginBalance, snapshot.MaintenanceMargin,
            [new MarkAtBreach(symbol, 100m, 1)], DateTimeOffset.UtcNow, snapshot);

    /// <summary>Waits until the archive lists this many records of the symbol.</summary>
    private Task Archived(string symbol, int count) =>
        Eventually.Get(async () => (await PageAll($"symbol={symbol}&limit=1000")).Count, n => n >= count, $"{count} records of {symbol} archived", seconds: 180);

    /// <summary>Follows the cursors to the end; every page keeps to its limit.</summary>
    private async Task<List<string>> PageAll(string query, string? cursor = null)
    {
        var limit = int.Parse(System.Web.HttpUtility.ParseQueryString(query)["limit"]!, System.Globalization.CultureInfo.InvariantCulture);
        var ids = new List<string>();
        while (true)
        {
            var page = await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?{query}{(cursor is null ? "" : $"&cursor={cursor}")}");
            var items = Ids(page);
            Assert.True(items.Count <= limit);
            ids.AddRange(items);
            cursor = page["nextCursor"]?.GetValue<string>();
            if (cursor is null)
            {
                return ids;
            }
        }
    }

    private async Task<JsonArray> Records(string query) => (await _admin.Ok(HttpMethod.Get, $"/v1/liquidations?{query}"))["items"]!.AsArray();

    private static List<string> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(r => r!["liquidationId"]!.GetValue<string>())];

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
}
