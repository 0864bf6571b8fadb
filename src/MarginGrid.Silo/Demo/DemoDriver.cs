using System.Globalization;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Silo.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Demo;

/// <summary>
/// The live demo: seeds the markets, a small insurance fund and a few thousand accounts trading with each
/// other (so every long has a short, and ADL has counterparties), then drives marks through the price-feed
/// stream as random walks with a shock every few seconds and settles funding every two minutes, printing
/// a summary as it goes.
/// </summary>
public sealed class DemoDriver(
    IClusterClient client,
    IServer server,
    ApiKeyRegistry keys,
    IOptions<DemoOptions> options,
    IHostApplicationLifetime lifetime,
    GridTotals totals,
    ILogger<DemoDriver> logger) : BackgroundService
{
    private static readonly int[] Leverages = [2, 3, 5, 10, 10, 20, 20, 25, 50, 50];
    private readonly Dictionary<string, decimal> _marks = [];
    private readonly List<string> _accounts = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        var settings = options.Value;
        var random = new Random(settings.Seed);
        await Seed(settings, random);
        PrintHowToQuery();

        var begin = DateTimeOffset.UtcNow;
        var nextShock = begin.AddSeconds(settings.ShockEverySeconds);
        var nextFunding = begin.AddSeconds(settings.FundingEverySeconds);
        var nextSummary = begin.AddSeconds(settings.SummaryEverySeconds);
        var shocks = 0;
        var fundings = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.TickIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = DateTimeOffset.UtcNow;
            string? shocked = null;
            if (now >= nextShock)
            {
                shocked = DemoMarkets.All[shocks % DemoMarkets.All.Length].Symbol;
                shocks++;
                nextShock = now.AddSeconds(settings.ShockEverySeconds);
            }

            await Task.WhenAll(DemoMarkets.All.Select(m => Tick(m.Symbol, m.Start, random, shocked == m.Symbol ? (shocks % 2 == 1 ? -0.08m : 0.08m) : null)));
            if (now >= nextFunding)
            {
                fundings++;
                foreach (var (symbol, _, _) in DemoMarkets.All)
                {
                    await client.GetGrain<IMarketGrain>(symbol).Settle($"demo-{fundings}", random.Next(-3, 4) / 10_000m);
                }

                nextFunding = now.AddSeconds(settings.FundingEverySeconds);
            }

            if (now >= nextSummary)
            {
                await Summary(now - begin);
                nextSummary = now.AddSeconds(settings.SummaryEverySeconds);
            }
        }
    }

    private async Task Seed(DemoOptions settings, Random random)
    {
        foreach (var (symbol, spec, start) in DemoMarkets.All)
        {
            var market = client.GetGrain<IMarketGrain>(symbol);
            await market.Define(spec);
            await market.SetMarkPrice(start);
            _marks[symbol] = start;
        }

        // A small fund, so that losses past bankruptcy drain it and ADL has to step in.
        await client.GetGrain<IInsuranceFundGrain>("USDT").Deposit("demo-seed", 1_500m);
        await client.GetGrain<IInsuranceFundGrain>("BTC").Deposit("demo-seed", 0.02m);

        var pairs = settings.Accounts / 2;
        for (var batch = 0; batch < pairs; batch += 50)
        {
            await Task.WhenAll(Enumerable.Range(batch, Math.Min(50, pairs - batch)).Select(i => SeedPair(i, new Random(settings.Seed + i))));
        }

        logger.LogInformation("Demo seeded: {Markets} markets, {Accounts} accounts, marks every {Interval} ms, a shock every {Shock} s",
            DemoMarkets.All.Length, _accounts.Count, settings.TickIntervalMs, settings.ShockEverySeconds);
    }

    private async Task SeedPair(int pair, Random random)
    {
        var (symbol, spec, _) = DemoMarkets.All[Pick(random)];
        var mark = _marks[symbol];
        var ids = new[] { $"demo-{2 * pair:D5}", $"demo-{(2 * pair) + 1:D5}" };
        var inverse = spec.Kind == "inverse";
        var deposits = ids.Select(_ => inverse ? random.Next(1, 50) / 100m : random.Next(5, 200) * 100m).ToArray();
        var leverages = ids.Select(_ => Math.Min(Leverages[random.Next(Leverages.Length)], spec.Brackets[0].MaxLeverage)).ToArray();
        var modes = ids.Select(_ => random.Next(10) < 7 ? PositionMarginMode.Cross : PositionMarginMode.Isolated).ToArray();

        // Both sides trade the same size: what the smaller side can carry at its leverage, most of it, and
        // no more than the brackets allow at that leverage (a trade past them would start in breach).
        var notional = ids.Select((_, k) => deposits[k] * leverages[k]).Min() * (random.Next(50, 95) / 100m);
        var leverage = leverages.Max();
        var ceiling = spec.Brackets.FirstOrDefault(b => b.MaxLeverage < leverage)?.NotionalFloor;
        if (ceiling is { } limit)
        {
            notional = Math.Min(notional, limit * 0.95m);
        }
        var quantity = inverse
            ? decimal.Floor(notional * mark / spec.ContractSize)
            : decimal.Floor(notional / mark / spec.LotSize) * spec.LotSize;
        if (quantity <= 0m)
        {
            return;
        }

        var feeBase = inverse ? quantity * spec.ContractSize / mark : quantity * mark;
        var fee = decimal.Round(feeBase * 0.0004m, 8, MidpointRounding.ToPositiveInfinity);
        for (var k = 0; k < 2; k++)
        {
            var account = client.GetGrain<IAccountGrain>(ids[k]);
            await account.Deposit($"{ids[k]}-seed", spec.SettleAsset, deposits[k]);
            await account.ChangeSettings(symbol, modes[k], leverages[k]);
            var result = await account.ApplyFill($"{ids[k]}-open", symbol, k == 0 ? OrderSide.Buy : OrderSide.Sell, quantity, mark, fee);
            if (!result.Succeeded)
            {
                logger.LogWarning("Demo fill for {Account} refused: {Error}", ids[k], result.Error);
            }
        }

        lock (_accounts)
        {
            _accounts.AddRange(ids);
        }
    }

    private async Task Tick(string symbol, decimal start, Random random, decimal? shock)
    {
        var spec = DemoMarkets.All.Single(m => m.Symbol == symbol).Spec;
        var mark = _marks[symbol];
        var move = shock ?? (random.Next(-30, 31) / 10_000m);

        // Mean reversion keeps the walk within a band around where it started.
        move += (start - mark) / start * 0.02m;
        var next = Math.Max(spec.TickSize, decimal.Floor(mark * (1m + move) / spec.TickSize) * spec.TickSize);
        _marks[symbol] = next;
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<PriceTick>(StreamId.Create(StreamNames.PriceFeed, symbol));
        await stream.OnNextAsync(new PriceTick(symbol, IsIndex: false, next, null, null));
    }

    private async Task Summary(TimeSpan elapsed)
    {
        string[] ids;
        lock (_accounts)
        {
            ids = [.. _accounts];
        }

        var levels = await Task.WhenAll(ids.Select(id => client.GetGrain<IAccountGrain>(id).GetLevel()));
        var byLevel = levels.GroupBy(ContractWords.Of).ToDictionary(g => g.Key, g => g.Count());
        var usdt = await client.GetGrain<IInsuranceFundGrain>("USDT").Get();
        var btc = await client.GetGrain<IInsuranceFundGrain>("BTC").Get();
        var grid = totals.Read();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[demo {elapsed.TotalSeconds,5:0}s] marks {grid.Marks,6} | accounts healthy {byLevel.GetValueOrDefault("healthy")} warning {byLevel.GetValueOrDefault("warning")} danger {byLevel.GetValueOrDefault("danger")} breach {byLevel.GetValueOrDefault("breach")} | liquidations: partial {grid.Partial} full {grid.Full} adl {grid.Adl} deficits {grid.Deficits} | fund USDT {usdt.Balance:0.00} BTC {btc.Balance:0.00000000} | tick→margin {grid.LastTickToMarginMs:0.0} ms"));
    }

    private void PrintHowToQuery()
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5000";
        var key = keys.KeyFor(GridRoles.Admin);
        Console.WriteLine($"""

            MarginGrid demo is running. Try:
              curl -H 'X-Api-Key: {key}' {url}/v1/accounts/demo-00001/margin
              curl -H 'X-Api-Key: {key}' '{url}/v1/liquidations?limit=5'
              curl -H 'X-Api-Key: {key}' {url}/v1/insurance-fund/USDT
              curl -H 'X-Api-Key: {key}' {url}/v1/markets/BTCUSDT
              curl {url}/metrics

            """);
    }

    private static int Pick(Random random) => random.Next(100) switch
    {
        < 35 => 0,
        < 60 => 1,
        < 75 => 2,
        < 90 => 3,
        _ => 4,
    };
}
