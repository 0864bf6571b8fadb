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

    /// <summary>What the insurance fund is seeded with (one deposit, the same id in every scenario of a cluster).</summary>
    public const decimal FundSeed = 1000000m;

    /// <summary>Every position is opened at this price.</summary>
    public const decimal EntryPrice = 30000m;

    private const string FundSeedKey = "fund-transfer:seed@USDT";
    private readonly ConcurrentDictionary<(string Stream, string Key), byte> _acked = new();

    /// <summary>The model: every deposit acknowledged to this client, by (account, transfer id), with its amount.</summary>
    private readonly ConcurrentDictionary<(string Account, string TransferId), decimal> _deposited = new();

    /// <summary>Deposits whose outcome the client does not know (no answer before its deadline): resent before the checks.</summary>
    private readonly ConcurrentDictionary<(string Account, string TransferId), decimal> _unknown = new();

    /// <summary>Every money-moving command sent, by its idempotency key: first and final reply, sends, replay.</summary>
    private readonly ConcurrentDictionary<string, JournaledCommand> _journal = new(StringComparer.Ordinal);
    private readonly List<string> _longs = [];
    private readonly List<string> _shorts = [];

    /// <summary>Each account's opening fill (side, quantity): acknowledged before any fault, resent after it.</summary>
    private readonly ConcurrentDictionary<string, (string Side, decimal Quantity)> _openingFills = new(StringComparer.Ordinal);
    private int _deposits;
    private decimal? _lastMark;

    public IReadOnlyList<string> Longs => _longs;

    public IReadOnlyList<string> Accounts => [.. _longs, .. _shorts];

    public int Acknowledged => _acked.Count;

    /// <summary>Commands sent more than once whose final answer was a replay: the first send had applied them.</summary>
    public int ResendsReplayed => _journal.Values.Count(c => c.ResendReplayed);

    /// <summary>The journal of every money-moving command this client sent.</summary>
    public IReadOnlyCollection<JournaledCommand> Journal => [.. _journal.Values];

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
        JournalAnswer(FundSeedKey, "insurance-fund", "seed", FundSeed,
            await Command("fund:USDT", FundSeedKey, $"/v1/insurance-fund/USDT/deposits", new { transferId = "seed", amount = FundSeed.ToString(CultureInfo.InvariantCulture) }));
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
        var reply = await Command($"account:{account}", $"transfer:{transferId}", $"/v1/accounts/{account}/deposits",
            new { transferId, asset = "USDT", amount = amount.ToString(CultureInfo.InvariantCulture) });
        _deposited[(account, transferId)] = amount;
        JournalAnswer($"transfer:{transferId}@{account}", account, transferId, amount, reply);
    }

    /// <summary>
    /// One attempt of a deposit on one silo, no retry: a 200 goes into the model; a 503 leaves its outcome
    /// unknown (resent before the checks, <see cref="AssertNothingLost"/>). Anything else fails the test.
    /// </summary>
    public async Task<HttpStatusCode> DepositOnce(SiloNode silo, string account, string transferId, decimal amount)
    {
        var (status, body) = await GridApi.Once(silo, HttpMethod.Post, $"/v1/accounts/{account}/deposits",
            new { transferId, asset = "USDT", amount = amount.ToString(CultureInfo.InvariantCulture) });
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"deposit {transferId} to {account}: {(int)status} {body}");
        var key = $"transfer:{transferId}@{account}";
        if (status == HttpStatusCode.OK)
        {
            _acked[($"account:{account}", $"transfer:{transferId}")] = 0;
            _deposited[(account, transferId)] = amount;
            _journal[key] = new JournaledCommand(account, transferId, amount, "200", "200", false, 1);
        }
        else
        {
            _unknown[(account, transferId)] = amount;
            _journal[key] = new JournaledCommand(account, transferId, amount, $"503 {body.GetProperty("code").GetString()}", null, false, 1);
        }

        return status;
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
                var reply = await Api.Send(HttpMethod.Post, $"/v1/accounts/{account}/deposits",
                    new { transferId, asset = "USDT", amount = "1" }, TimeSpan.FromSeconds(90));
                Assert.True(reply.Status == HttpStatusCode.OK, $"deposit {transferId} to {account}: {(int)reply.Status} {reply.Body}");
                _acked[($"account:{account}", $"transfer:{transferId}")] = 0;
                _deposited[(account, transferId)] = 1m;
                JournalAnswer($"transfer:{transferId}@{account}", account, transferId, 1m, reply);
            }
            catch (TimeoutException error)
            {
                // No answer: the client does not know whether it was applied. It is resent with the same id
                // before the checks (SettleUnknown), until the answer is definite.
                _unknown[(account, transferId)] = 1m;
                _journal[$"transfer:{transferId}@{account}"] = new JournaledCommand(account, transferId, 1m, $"no answer: {error.Message}", null, false, 1);
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

    /// <summary>The longs that have a liquidation record listed so far.</summary>
    public async Task<List<string>> LiquidatedSoFar() => [.. (await ListedQuantities()).Where(q => q.Value.Records > 0).Select(q => q.Key)];

    /// <summary>The id of every liquidation record of the market (duplicates kept: an id handed out twice shows twice).</summary>
    public async Task<List<string>> LiquidationIds()
    {
        var records = await Api.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={Symbol}&limit=1000");
        return [.. records.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("liquidationId").GetString()!)];
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
    /// The closing proof of every fault test, against the client's own model: every command of unknown outcome
    /// is settled first (resent with its id); then every deposit is in the ledger once with its amount, every
    /// acknowledged command is there, each account's balance (API, balance row, sum of ledger entries) equals
    /// the model, every liquidation settled once in the ledger with its fee and the fund's books to match, and
    /// reconciliation is exact. Records the figures.
    /// </summary>
    public async Task AssertNothingLost(Figures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        figures.Add("deposits of unknown outcome resent", await SettleUnknown());
        var (resent, notReplayed) = await ResendAcknowledged();
        figures.Add("acknowledged commands resent after the fault, all answered as replays", resent);
        Assert.True(resent > 0 && notReplayed.Count == 0, $"of {resent} acknowledged commands resent after the fault, not answered as a replay:\n{string.Join('\n', notReplayed)}");
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

        var records = await FinishedRecords();
        var balances = await BalancesAgainstModel(records);
        figures.Add("accounts whose balance (API, balance row, ledger entries) equals the model", $"{balances.Checked - balances.Wrong.Count} of {balances.Checked}");
        Assert.True(balances.Wrong.Count == 0, $"balances that differ from the model:\n{string.Join('\n', balances.Wrong)}");
        var settlement = await LiquidationsInLedger(records);
        figures.Add("liquidations settled in the ledger (one settlement each, fee as recorded)", settlement.Settled);
        Assert.True(settlement.Wrong.Count == 0, $"liquidations that do not match the ledger:\n{string.Join('\n', settlement.Wrong)}");
        figures.Add("commands journaled", _journal.Count);
        figures.Add("commands sent more than once", _journal.Values.Count(c => c.Sends > 1));
        figures.Add("resends answered as a replay (Idempotent-Replayed)", ResendsReplayed);
    }

    /// <summary>
    /// Resends, with the same id and content, what was acknowledged before the fault (each account's opening
    /// deposit and fill) and up to 40 of the traffic's acknowledged deposits, spread over the run: every one must
    /// come back as a replay (200, <c>Idempotent-Replayed</c>). Whether they moved money again the balance checks
    /// that follow tell, since the model counts each once. Returns how many were resent and those that were not replays.
    /// </summary>
    private async Task<(int Resent, List<string> NotReplayed)> ResendAcknowledged()
    {
        var traffic = _deposited.Keys.Where(k => k.TransferId.Contains("-traffic-", StringComparison.Ordinal)).OrderBy(k => k.TransferId, StringComparer.Ordinal).ToList();
        var sample = traffic.Where((_, i) => i % Math.Max(1, traffic.Count / 40) == 0).Take(40);
        var deposits = _deposited.Keys.Where(k => k.TransferId.StartsWith("open-", StringComparison.Ordinal)).Concat(sample)
            .Select(k => ($"transfer:{k.TransferId}@{k.Account}", k.Account, k.TransferId, _deposited[k], $"/v1/accounts/{k.Account}/deposits",
                (object)new { transferId = k.TransferId, asset = "USDT", amount = _deposited[k].ToString(CultureInfo.InvariantCulture) }));
        var fills = _openingFills.Select(f => ($"fill:open-{f.Key}@{f.Key}", f.Key, $"open-{f.Key}", f.Value.Quantity, $"/v1/accounts/{f.Key}/fills", OpeningFill(f.Key, f.Value.Side, f.Value.Quantity)));
        var seed = _journal.ContainsKey(FundSeedKey)
            ? [(FundSeedKey, "insurance-fund", "seed", FundSeed, "/v1/insurance-fund/USDT/deposits", (object)new { transferId = "seed", amount = FundSeed.ToString(CultureInfo.InvariantCulture) })]
            : Array.Empty<(string, string, string, decimal, string, object)>();
        var notReplayed = new List<string>();
        var resent = 0;
        foreach (var (key, account, id, amount, path, body) in seed.Concat(deposits).Concat(fills).ToList())
        {
            var reply = await Api.Send(HttpMethod.Post, path, body);
            resent++;
            JournalAnswer(key, account, id, amount, reply);
            if (reply.Status != HttpStatusCode.OK || !reply.Replayed)
            {
                notReplayed.Add($"{key}: {(int)reply.Status}, replayed={reply.Replayed}, {reply.Body}");
            }
        }

        return (resent, notReplayed);
    }

    /// <summary>
    /// Sends every deposit of unknown outcome again, with its id, until it is answered: a 200 (applied now, or
    /// a replay of the first time) puts it in the model. Returns how many were resent.
    /// </summary>
    private async Task<int> SettleUnknown()
    {
        foreach (var ((account, transferId), amount) in _unknown)
        {
            await Deposit(account, transferId, amount);
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

    /// <summary>
    /// Every liquidation record of the market once each of this scenario's longs that holds no position has a
    /// finished one (a record reaches the listing a moment after the position closed).
    /// </summary>
    private async Task<List<JsonElement>> FinishedRecords()
    {
        var records = new List<JsonElement>();
        await Until.Polled(async () =>
        {
            var page = await Api.Ok(HttpMethod.Get, $"/v1/liquidations?symbol={Symbol}&limit=1000");
            records = [.. page.GetProperty("items").EnumerateArray()];
            var finished = records.Where(r => r.GetProperty("endedAt").ValueKind == JsonValueKind.String).Select(AccountOf).ToHashSet(StringComparer.Ordinal);
            var running = records.Any(r => r.GetProperty("endedAt").ValueKind != JsonValueKind.String && _longs.Contains(AccountOf(r)));
            foreach (var account in _longs)
            {
                if (!finished.Contains(account) && await OpenQuantity(account) == 0m)
                {
                    return false;
                }
            }

            return !running;
        }, TimeSpan.FromSeconds(60));
        return records;
    }

    /// <summary>
    /// Each account's cross wallet, three ways (the API, its balance row, the sum of its ledger entries), against
    /// the model: what the client deposited, plus for a liquidated long the trades its record lists (closed at
    /// their price against the entry price, rounded in the venue's favour), less the fee, plus the fund's payout
    /// and any deficit the record names. Funding is taken from the ledger (no scenario models a round; one
    /// crossing a funding boundary settles on its own) and printed.
    /// </summary>
    private async Task<(int Checked, List<string> Wrong)> BalancesAgainstModel(List<JsonElement> records)
    {
        var owners = Accounts.ToArray();
        var facts = new LedgerFacts(cluster.Ledgers);
        var entries = await facts.EntrySums(owners, "Wallet", "USDT");
        var rows = await facts.BalanceRows(owners, "Wallet", "USDT");
        var funding = await facts.EntrySums(owners, "Wallet", "USDT", "Funding");
        var wrong = new List<string>();
        foreach (var account in owners)
        {
            var model = _deposited.Where(d => d.Key.Account == account).Sum(d => d.Value) + funding.GetValueOrDefault(account);
            foreach (var record in records.Where(r => AccountOf(r) == account))
            {
                var realized = record.GetProperty("steps").EnumerateArray()
                    .Where(step => step.GetProperty("kind").GetString() is "partial" or "full" or "adl")
                    .Sum(step => decimal.Round((Decimal(step.GetProperty("price")) - EntryPrice) * Decimal(step.GetProperty("quantity")), 8, MidpointRounding.ToNegativeInfinity));
                model += realized - Decimal(record.GetProperty("fee")) + Decimal(record.GetProperty("fundPayout")) + Decimal(record.GetProperty("deficit"));
            }

            var api = await Wallet(account);
            if (api != model || entries.GetValueOrDefault(account) != model || rows.GetValueOrDefault(account) != model)
            {
                wrong.Add($"{account}: model {model}, API {api}, balance row {rows.GetValueOrDefault(account)}, ledger entries {entries.GetValueOrDefault(account)}"
                    + (funding.TryGetValue(account, out var f) ? $" (funding {f})" : ""));
            }
        }

        return (owners.Length, wrong);
    }

    /// <summary>
    /// The liquidations against the ledger: each liquidated long has exactly one record and one settlement
    /// event in its stream, and its fee legs take what its record says; no short (never in breach, never a counterparty
    /// here) has a settlement or a liquidation trade; the fund holds its seed plus every record's fee less every
    /// payout, its fee and payout entries sum to that, and it has nothing reserved once every liquidation ended.
    /// </summary>
    private async Task<(int Settled, List<string> Wrong)> LiquidationsInLedger(List<JsonElement> records)
    {
        var facts = new LedgerFacts(cluster.Ledgers);
        var owners = Accounts.ToArray();
        var settlements = await facts.AccountEvents(owners, "liq:%:settle:%");
        var trades = await facts.Transactions(owners, "liquidation");
        var fees = await facts.EntrySums(owners, "Wallet", "USDT", "LiquidationFee");
        var wrong = new List<string>();
        var mine = records.Where(r => Accounts.Contains(AccountOf(r))).ToList();
        foreach (var account in _longs)
        {
            var its = mine.Where(r => AccountOf(r) == account).ToList();
            var liquidated = its.Count > 0;
            if (its.Count > 1)
            {
                wrong.Add($"{account}: {its.Count} liquidation records ({string.Join(", ", its.Select(r => r.GetProperty("liquidationId").GetString()))})");
            }

            if (settlements.GetValueOrDefault(account) != (liquidated ? 1 : 0))
            {
                wrong.Add($"{account}: {settlements.GetValueOrDefault(account)} settlements in its ledger stream for {its.Count} liquidation records");
            }

            var recordedFee = its.Sum(r => Decimal(r.GetProperty("fee")));
            if (-fees.GetValueOrDefault(account) != recordedFee)
            {
                wrong.Add($"{account}: fee legs {-fees.GetValueOrDefault(account)} in the ledger, {recordedFee} in its record");
            }
        }

        foreach (var account in _shorts)
        {
            if (settlements.ContainsKey(account) || trades.ContainsKey(account) || mine.Any(r => AccountOf(r) == account))
            {
                wrong.Add($"{account}: a short never in breach has liquidation entries or a record");
            }

            if (mine.SelectMany(r => r.GetProperty("steps").EnumerateArray()).Any(s => s.TryGetProperty("counterparty", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() == account))
            {
                wrong.Add($"{account}: named as an ADL counterparty (the fund holds enough; no ADL is expected here)");
            }
        }

        // The fund, over every record of the market (scenarios of one cluster share it).
        var fundFees = records.Sum(r => Decimal(r.GetProperty("fee")));
        var fundPayouts = records.Sum(r => Decimal(r.GetProperty("fundPayout")));
        var fund = default(JsonElement);
        var settledFund = await Until.Polled(async () =>
        {
            fund = await Api.Ok(HttpMethod.Get, "/v1/insurance-fund/USDT");
            return Decimal(fund.GetProperty("reserved")) == 0m;
        }, TimeSpan.FromSeconds(60));
        if (!settledFund)
        {
            wrong.Add($"insurance fund: {Decimal(fund.GetProperty("reserved"))} still reserved after every liquidation ended");
        }

        var fundOwner = new[] { "insurance-fund" };
        var fundFeeEntries = (await facts.EntrySums(fundOwner, "InsuranceFund", "USDT", "LiquidationFee")).GetValueOrDefault("insurance-fund");
        var fundPayoutEntries = -(await facts.EntrySums(fundOwner, "InsuranceFund", "USDT", "InsurancePayout")).GetValueOrDefault("insurance-fund");
        var fundBalance = (await facts.EntrySums(fundOwner, "InsuranceFund", "USDT")).GetValueOrDefault("insurance-fund");
        var expectedFund = FundSeed + fundFees - fundPayouts;
        if (fundFeeEntries != fundFees || fundPayoutEntries != fundPayouts || fundBalance != expectedFund || Decimal(fund.GetProperty("balance")) != expectedFund)
        {
            wrong.Add($"insurance fund: model {expectedFund} (seed {FundSeed} + fees {fundFees} - payouts {fundPayouts}); ledger {fundBalance} "
                + $"(fee entries {fundFeeEntries}, payout entries {fundPayoutEntries}); API balance {fund.GetProperty("balance")}");
        }

        return (mine.Count, wrong);
    }

    private async Task<decimal> Wallet(string account)
    {
        var margin = await Api.Ok(HttpMethod.Get, $"/v1/accounts/{account}/margin");
        return margin.GetProperty("scopes").EnumerateArray()
            .Where(s => s.GetProperty("mode").GetString() == "cross" && s.GetProperty("settleAsset").GetString() == "USDT")
            .Sum(s => Decimal(s.GetProperty("walletBalance")));
    }

    private static string AccountOf(JsonElement record) => record.GetProperty("breach").GetProperty("accountId").GetString()!;

    /// <summary>
    /// Reconciles until exact (a liquidation finishing its last step may show for a moment); returns the report,
    /// or fails with the last one, every difference in it.
    /// </summary>
    public async Task<JsonElement> ReconcileExact()
    {
        var report = default(JsonElement);
        var exact = await Until.Polled(async () =>
        {
            report = await cluster.Reconcile();
            return report.GetProperty("exact").GetBoolean();
        }, TimeSpan.FromSeconds(90));
        Assert.True(exact, $"reconciliation not exact after 90 s; the last report:\n{report}");
        return report;
    }

    private async Task Fill(string account, string side, decimal quantity)
    {
        JournalAnswer($"fill:open-{account}@{account}", account, $"open-{account}", quantity,
            await Command($"account:{account}", $"fill:open-{account}", $"/v1/accounts/{account}/fills", OpeningFill(account, side, quantity)));
        _openingFills[account] = (side, quantity);
    }

    private static object OpeningFill(string account, string side, decimal quantity) =>
        new { fillId = $"open-{account}", symbol = Symbol, side, quantity = quantity.ToString(CultureInfo.InvariantCulture), price = EntryPrice.ToString(CultureInfo.InvariantCulture), fee = "0" };

    private async Task<GridReply> Command(string stream, string key, string path, object body)
    {
        var reply = await Api.Send(HttpMethod.Post, path, body);
        Assert.True((int)reply.Status is >= 200 and < 300, $"POST {path}: {(int)reply.Status} {reply.Body}");
        _acked[(stream, key)] = 0;
        return reply;
    }

    /// <summary>Journals a command's definite answer; a resend of one already journaled adds its sends to the first.</summary>
    private void JournalAnswer(string key, string account, string id, decimal amount, GridReply reply)
    {
        var final = $"{(int)reply.Status}";
        _journal.AddOrUpdate(key,
            _ => new JournaledCommand(account, id, amount, reply.FirstAttempt, final, reply.Replayed, reply.Attempts),
            (_, earlier) => earlier with { FinalReply = final, Replayed = reply.Replayed, Sends = earlier.Sends + reply.Attempts });
    }

    private static decimal Decimal(JsonElement value) => decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture);
}
