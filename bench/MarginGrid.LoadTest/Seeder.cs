using System.Diagnostics;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Markets;
using MarginGrid.LoadTest.Workload;

namespace MarginGrid.LoadTest;

/// <summary>
/// Defines the markets, sets their first marks, seeds the insurance funds, and opens every account through
/// the grid's own opening command (deposits, settings, fills in one), many accounts in flight at once.
/// </summary>
public sealed class Seeder(IGrainFactory grains, Progress progress)
{
    public async Task DefineMarkets(IReadOnlyList<LoadMarket> markets)
    {
        ArgumentNullException.ThrowIfNull(markets);
        foreach (var market in markets)
        {
            Ensure(await grains.GetGrain<IMarketGrain>(market.Symbol).Define(market.Spec), market.Symbol);
            Ensure(await grains.GetGrain<IMarketGrain>(market.Symbol).SetMarkPrice(market.StartPrice), market.Symbol);
            await grains.GetGrain<IInsuranceFundGrain>(market.Spec.SettleAsset).Deposit($"seed-{market.Symbol}",
                market.Spec.Kind == "inverse" ? decimal.Round(200_000m / market.StartPrice, 8) : 200_000m);
        }
    }

    /// <summary>Opens the accounts; returns how long it took. A refused command is a workload bug and stops the run.</summary>
    public async Task<TimeSpan> OpenAccounts(IEnumerable<PlannedAccount> accounts, int total)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(accounts, new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (plan, _) =>
        {
            await Open(plan);
            var n = Interlocked.Increment(ref done);
            if (n % 1_000 == 0 || n == total)
            {
                progress.Report($"opening accounts {n:N0}/{total:N0}", n / (double)total);
            }
        });
        return clock.Elapsed;
    }

    private async Task Open(PlannedAccount plan)
    {
        // One command per account: the grid's opening (deposits, settings and fills, all or nothing).
        var opening = new AccountOpening(
            [.. plan.Deposits.Select(d => new OpeningDeposit($"{plan.Id}-seed-{d.Key}", d.Key, d.Value))],
            [.. plan.Positions.Select(p => new OpeningPosition($"{plan.Id}-open-{p.Market.Symbol}", p.Market.Symbol, p.Isolated ? PositionMarginMode.Isolated : PositionMarginMode.Cross,
                p.Leverage, p.Side, p.Quantity, p.Market.StartPrice, 0m))]);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Ensure(await grains.GetGrain<IAccountGrain>(plan.Id).Open(opening), plan.Id);
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // A busy durable cluster can answer after the call's timeout; the opening is idempotent by its ids, so
                // sending it again applies it once.
            }
        }
    }

    private static void Ensure<T>(Abstractions.Common.CommandResult<T> result, string subject)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Seeding {subject} was refused: {result.Error}");
        }
    }
}
