using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// What the fault tests do to the grid, through the HTTP API only: one linear market, a funded insurance
/// fund, long accounts whose liquidation prices are spread between 29,900 and 29,300 (so a falling mark
/// liquidates them one after another), short accounts that stay healthy, and a stream of 1 USDT deposits
/// whose acknowledgements are remembered, to be found in the ledger afterwards.
/// </summary>
public sealed class TradingScenario(DurableCluster cluster, string tag)
{
    public const string Symbol = "BTC-PERP";
    private readonly ConcurrentDictionary<(string Stream, string Key), byte> _acked = new();

    /// <summary>The model: every deposit acknowledged to this client, by (account, transfer id), with its amount.</summary>
    private readonly ConcurrentDictionary<(string Account, string TransferId), decimal> _deposited = new();

    /// <summary>Deposits whose outcome the client does not know (no answer before its deadline): resent before the checks.</summary>
    private readonly ConcurrentDictionary<(string Account, string TransferId), decimal> _unknown = new();
    private readonly List<string> _longs = [];
    private readonly List<string> _shorts = [];
    private int _deposits;
    private decimal? _lastMark;

    public IReadOnlyList<string> Longs => _longs;

    public IReadOnlyList<string> Accounts => [.. _longs, .. _shorts];

    public int Acknowledged => _acked.Count;

    private GridApi Api => cluster.Api;

    public async Task Open(int longs, int shorts = 5)
    {
        await Api.Ok(HttpMethod.Put, $"/v1/markets/{Symbol}", new
        {
            kind = "linear", settleAsset = "USDT", contractSize = "1", tickSize = "0.1", lotSize = "0.001",
            brackets = new[] { new { notionalFloor = "0", maxLeverage = 50, maintenanceMarginRate = "0.01" } },
            fundingIntervalHours = 8, interestRate = "0.0001", premiumClamp = "0.0005", fundingCap = "0.0075",
            liquidationFeeRate = "0.005", stalePriceSeconds = 3600,
        });
        await Command("fund:USDT", "fund-transfer:seed@USDT", $"/v1/insurance-fund/USDT/deposits", new { transferId = "seed", amount = "1000000" });
        await Mark(30000m);
        for (var i = 0; i < longs; i++)
        {
            var id = $"{tag}-long-{i:D3}";
            _longs.Add(id);
            await Deposit(id, $"open-{id}", 400m + (10m * (i * 60 / Math.Max(1, longs))));
            await Fill(id, "buy", 1m);
        }

        for (var i = 0; i < shorts; i++)
        {
            var id = $"{tag}-short-{i:D3}";
            _shorts.Add(id);
            await Deposit(id, $"open-{id}", 100000m);
            await Fill(id, "sell", (decimal)longs / shorts);
        }
    }

    public async Task Mark(decimal price)
    {
        await Api.Ok(HttpMethod.Post, $"/v1/markets/{Symbol}/mark-price", new { price = price.ToString(CultureInfo.InvariantCulture) });
        _lastMark = price;
    }

    /// <summary>
    /// A price feed holding <paramref name="price"/>: posts it every second until stopped, as a venue's feed
    /// keeps ticking. A market reactivated on another silo keeps its last mark flagged stale, and nobody is
    /// liquidated on it, until a mark reaches the new activation.
    /// </summary>
    private async Task Feed(decimal price, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Mark(price);
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>A deposit that must be acknowledged (retried across silos with the same id until it is).</summary>
    public async Task Deposit(string account, string transferId, decimal amount)
    {
        await Command($"account:{account}", $"transfer:{transferId}", $"/v1/accounts/{account}/deposits",
            new { transferId, asset = "USDT", amount = amount.ToString(CultureInfo.InvariantCulture) });
        _deposited[(account, transferId)] = amount;
    }

    /// <summary>Deposits 1 USDT to accounts in turn until stopped; each acknowledged one is remembered.</summary>
    public async Task DepositTraffic(CancellationToken stop)
    {
        var accounts = Accounts;
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _deposits);
            var account = accounts[n % accounts.Count];
            var transferId = $"{tag}-traffic-{n}";
            try
            {
                var (status, body) = await Api.Send(HttpMethod.Post, $"/v1/accounts/{account}/deposits",
                    new { transferId, asset = "USDT", amount = "1" }, TimeSpan.FromSeconds(90));
                Assert.True(status == HttpStatusCode.OK, $"deposit {transferId} to {account}: {(int)status} {body}");
                _acked[($"account:{account}", $"transfer:{transferId}")] = 0;
                _deposited[(account, transferId)] = 1m;
            }
            catch (TimeoutException)
            {
                // No answer: the client does not know whether it was applied. It is resent with the same id
                // before the checks (SettleUnknown), until the answer is definite.
                _unknown[(account, transferId)] = 1m;
            }
        }
    }

    /// <summary>
    /// Waits until no long holds a position any more (every breach liquidated); the failure names those left.
    /// Meanwhile the feed keeps ticking at the last mark, as a venue's does: a market reactivated after a
    /// fault holds its kept mark as stale, and nobody is liquidated on it until a fresh one arrives.
    /// </summary>
    public async Task AllLongsLiquidated(TimeSpan within)
    {
        using var stopFeed = new CancellationTokenSource();
        var feed = _lastMark is { } last ? Feed(last, stopFeed.Token) : Task.CompletedTask;
        try
        {
            await LongsClosed(within);
        }
        finally
        {
            await stopFeed.CancelAsync();
            await feed;
        }
    }

    private async Task LongsClosed(TimeSpan within)
    {
        var open = new List<string>();
        var done = await Until.Polled(async () =>
        {
            open.Clear();
            foreach (var account in _longs)
            {
                if (await OpenQuantity(account) != 0m)
                {
                    open.Add(account);
                }
            }

            return open.Count == 0;
        }, within);
        Assert.True(done, $"longs still holding positions after {within.TotalSeconds:0} s: {string.Join(", ", open)}\n{cluster.Logs()}");
    }

    /// <summary>
    /// Polls <paramref name="silo"/> alone, with no retry, until it answers for every account of the scenario
    /// (each one's grain reactivated where it can run); null then, or the last refusal once the time is up.
    /// </summary>
    public async Task<string?> AllAnsweredBy(SiloNode silo, TimeSpan within)
    {
        var lastRefusal = "";
        var answered = await Until.Polled(async () =>
        {
            foreach (var account in Accounts)
            {
                var (status, body) = await GridApi.Once(silo, HttpMethod.Get, $"/v1/accounts/{account}/margin");
                if (status != HttpStatusCode.OK)
                {
                    lastRefusal = $"{account}: {(int)status} {body}";
                    return false;
                }
            }

            return true;
        }, within);
        return answered ? null : lastRefusal;
    }

    public async Task<decimal> OpenQuantity(string account)
    {
        var margin = await Api.Ok(HttpMethod.Get, $"/v1/accounts/{account}/margin");
        return margin.GetProperty("positions").EnumerateArray().Sum(p => Decimal(p.GetProperty("quantity")));
    }

    /// <summary>
    /// Per long account: the quantity its liquidation records closed, over every record. A record is listed once
    /// its liquidation finished and the archive has it, a moment after the position closed: waits (up to 60 s) until
    /// every long has one, so that a missing record is told apart from one still on its way.
    /// </summary>
    public async Task<Dictionary<string, (int Records, decimal Closed)>> LiquidatedQuantities()
    {
        Dictionary<string, (int Records, decimal Closed)> result = [];
        await Until.Polled(async () => (result = await ListedQuantities()).Values.All(q => q.Records > 0), TimeSpan.FromSeconds(60));
        return result;
    }

    private async Task<Dictionary<string, (int Records, decimal Closed)>> ListedQuantities()
    {
        var records = await Api.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={Symbol}&limit=1000");
        var result = _longs.ToDictionary(a => a, _ => (0, 0m));
        foreach (var record in records.GetProperty("items").EnumerateArray())
        {
            var account = record.GetProperty("breach").GetProperty("accountId").GetString()!;
            if (!result.TryGetValue(account, out var seen))
            {
                continue;
            }

            var closed = record.GetProperty("steps").EnumerateArray()
                .Where(s => s.GetProperty("kind").GetString() is "partial" or "full" or "adl")
                .Sum(s => Decimal(s.GetProperty("quantity")));
            result[account] = (seen.Item1 + 1, seen.Item2 + closed);
        }

        return result;
    }

    /// <summary>Every acknowledged command, looked up in the ledger: how many are missing and how many are there twice.</summary>
    public async Task<(int Acknowledged, int Lost, int Duplicated)> AcknowledgedInLedger()
    {
        var keys = await cluster.CommandKeys();
        var lost = _acked.Keys.Count(k => !keys.ContainsKey(k));
        var duplicated = keys.Values.Count(c => c > 1);
        return (_acked.Count, lost, duplicated);
    }

    /// <summary>
    /// The closing proof of every fault test: each acknowledged command is in the ledger exactly once, and
    /// reconciliation is exact. Records the figures.
    /// </summary>
    public async Task AssertNothingLost(Figures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        figures.Add("deposits of unknown outcome resent", await SettleUnknown());
        var model = await DepositsAgainstModel();
        figures.Add("deposits checked against the model", model.Checked);
        figures.Add("deposits missing or with another amount", model.Wrong.Count);
        figures.Add("deposits in the ledger the client never made (ghosts)", model.Ghosts.Count);
        Assert.True(model.Wrong.Count == 0, $"deposits missing or with another amount: {string.Join(", ", model.Wrong.Take(20))}");
        Assert.True(model.Ghosts.Count == 0, $"deposits nobody made: {string.Join(", ", model.Ghosts.Take(20))}");
        var (acknowledged, lost, duplicated) = await AcknowledgedInLedger();
        var report = await ReconcileExact();
        figures.Add("acknowledged commands", acknowledged);
        figures.Add("commands lost", lost);
        figures.Add("commands applied twice", duplicated);
        figures.Add("reconciliation", $"exact={report.GetProperty("exact")} transactions={report.GetProperty("transactions")} entries={report.GetProperty("entries")}");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
    }

    /// <summary>
    /// Sends every deposit of unknown outcome again, with its id, until it is answered: a 200 (applied now, or
    /// a replay of the first time) puts it in the model. Returns how many were resent.
    /// </summary>
    private async Task<int> SettleUnknown()
    {
        foreach (var ((account, transferId), amount) in _unknown)
        {
            await Command($"account:{account}", $"transfer:{transferId}", $"/v1/accounts/{account}/deposits",
                new { transferId, asset = "USDT", amount = amount.ToString(CultureInfo.InvariantCulture) });
            _deposited[(account, transferId)] = amount;
        }

        return _unknown.Count;
    }

    /// <summary>
    /// Every deposit to the scenario's accounts in the ledger's entries (all partitions), against the model:
    /// each made one is there once with its amount, and there is none the client did not make (a command
    /// applied twice under another key, or a leg written to the wrong account, shows here).
    /// </summary>
    private async Task<(int Checked, List<string> Wrong, List<string> Ghosts)> DepositsAgainstModel()
    {
        var accounts = Accounts.Concat(_deposited.Keys.Select(k => k.Account)).Distinct(StringComparer.Ordinal).ToArray();
        var found = new Dictionary<(string, string), decimal>();
        foreach (var ledger in cluster.Ledgers)
        {
            await using var connection = new Npgsql.NpgsqlConnection(ledger);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("""
                SELECT owner, transaction_id, sum(amount) FROM mg_ledger_entries
                WHERE transaction_kind = 'deposit' AND owner = ANY($1) GROUP BY owner, transaction_id
                """, connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = accounts });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                found[key] = found.GetValueOrDefault(key) + reader.GetDecimal(2);
            }
        }

        var expected = _deposited.ToDictionary(d => (d.Key.Account, $"transfer:{d.Key.TransferId}@{d.Key.Account}"), d => d.Value);
        var wrong = expected.Where(e => found.GetValueOrDefault(e.Key) != e.Value)
            .Select(e => $"{e.Key.Item2} (model {e.Value}, ledger {(found.TryGetValue(e.Key, out var f) ? f : "none")})").ToList();
        var ghosts = found.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k.Item2} ({found[k]})").ToList();
        return (expected.Count, wrong, ghosts);
    }

    /// <summary>Reconciles until exact (a liquidation finishing its last step may show for a moment); returns the report.</summary>
    public async Task<JsonElement> ReconcileExact()
    {
        var report = default(JsonElement);
        await Until.True(async () =>
        {
            report = await cluster.Reconcile();
            return report.GetProperty("exact").GetBoolean();
        }, TimeSpan.FromSeconds(90), $"reconciliation not exact");
        return report;
    }

    private async Task Fill(string account, string side, decimal quantity) =>
        await Command($"account:{account}", $"fill:open-{account}", $"/v1/accounts/{account}/fills",
            new { fillId = $"open-{account}", symbol = Symbol, side, quantity = quantity.ToString(CultureInfo.InvariantCulture), price = "30000", fee = "0" });

    private async Task Command(string stream, string key, string path, object body)
    {
        await Api.Ok(HttpMethod.Post, path, body);
        _acked[(stream, key)] = 0;
    }

    private static decimal Decimal(JsonElement value) => decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}
