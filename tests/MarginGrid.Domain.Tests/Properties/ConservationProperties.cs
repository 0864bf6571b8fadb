using CsCheck;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>
/// margin-rules.md section 9 over random histories of deposits, withdrawals, settings, trades, mark moves,
/// funding and liquidations: value is conserved, balances are sums of entries, nobody ends a liquidation
/// below zero, the fund never goes negative, replays change nothing and a refused command changes nothing.
/// </summary>
public sealed class ConservationProperties
{
    private static readonly string[] AccountIds = ["A0", "A1", "A2", "A3", "A4"];

    private static readonly Dictionary<string, string[]> ValueCreatingKinds = new()
    {
        [nameof(LedgerAccountKind.External)] = ["deposit", "withdrawal", "fund-deposit"],
        [nameof(LedgerAccountKind.Clearing)] = ["fill", "liquidation", "adl"],
    };

    [Fact]
    public void Random_histories_conserve_value_and_keep_every_invariant()
    {
        var totals = new int[2];
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var (world, liquidations, deleveraged) = RunHistory(seed, steps: 60);
            totals[0] += liquidations;
            totals[1] += deleveraged;
            AssertReplayRebuildsEveryAccount(world);
        }, iter: 1_000, threads: 1);

        // The histories must actually reach liquidations and ADL, or the properties above prove little.
        Assert.True(totals[0] > 100, $"only {totals[0]} liquidations were exercised");
        Assert.True(totals[1] > 10, $"only {totals[1]} ADL matches were exercised");
    }

    internal static (World World, int Liquidations, int Deleveraged) RunHistory(int seed, int steps)
    {
        var random = new Random(seed);
        var world = new World();
        var linear = TestMarkets.Linear("LIN", tick: 0.1m, lot: 0.001m);
        var inverse = TestMarkets.Inverse("INV");
        world.Context.Add(linear, 30_000m).Add(inverse, 30_000m);
        world.SeedFund("USDT", "seed-usdt", random.Next(0, 3) == 0 ? 0.00000001m : random.Next(1, 5_000));
        world.SeedFund("BTC", "seed-btc", random.Next(0, 3) == 0 ? 0.00000001m : random.Next(1, 100) / 100m);
        foreach (var id in AccountIds)
        {
            world.Run(id, a => a.DecideDeposit($"{id}-usdt", "USDT", random.Next(500, 50_000)));
            world.Run(id, a => a.DecideDeposit($"{id}-btc", "BTC", random.Next(1, 200) / 100m));
        }

        var replays = new List<(string Account, Func<Account, AccountEvent?> Decide)>();
        for (var step = 0; step < steps; step++)
        {
            var market = random.Next(2) == 0 ? linear : inverse;
            var op = random.Next(100);
            var a = AccountIds[random.Next(AccountIds.Length)];
            var b = AccountIds[random.Next(AccountIds.Length)];
            if (op < 40 && a != b)
            {
                Trade(world, random, market, a, b, step, replays);
            }
            else if (op < 60)
            {
                MoveMark(world, random, market);
            }
            else if (op < 67)
            {
                var rate = random.Next(-30, 31) / 10_000m;
                var mark = world.Context.Mark(market.Symbol);
                var settlementId = $"s{step}";
                foreach (var id in AccountIds)
                {
                    TryRun(world, id, x => x.DecideFunding(settlementId, market, rate, mark));
                }
            }
            else if (op < 75)
            {
                var settings = new PositionSettings(random.Next(2) == 0 ? MarginMode.Cross : MarginMode.Isolated, random.Next(1, 60));
                TryRun(world, a, x => x.DecideSettings(market.Symbol, settings, world.Context, world.Thresholds));
            }
            else if (op < 82)
            {
                var asset = market.SettleAsset;
                var amount = decimal.Round((decimal)random.NextDouble() * world.Account(a).Wallet(asset), 8);
                var transferId = $"w{step}";
                if (amount > 0m)
                {
                    Func<Account, AccountEvent?> withdraw = x => x.DecideWithdrawal(transferId, asset, amount, world.Context, world.Thresholds);
                    if (TryRun(world, a, withdraw))
                    {
                        replays.Add((a, withdraw));
                    }
                }
            }
            else if (op < 90 && replays.Count > 0)
            {
                var (account, decide) = replays[random.Next(replays.Count)];
                AssertUnchanged(world, account, () => Assert.Null(world.Run(account, decide)));
            }
            else
            {
                LiquidateEveryBreach(world, random, step);
            }

            AssertLedgerInvariants(world);
        }

        LiquidateEveryBreach(world, random, steps);
        AssertLedgerInvariants(world);
        return (world, world.Liquidations, world.Deleveraged);
    }

    private static void Trade(World world, Random random, MarketDefinition market, string buyer, string seller, int step, List<(string, Func<Account, AccountEvent?>)> replays)
    {
        var mark = world.Context.Mark(market.Symbol);
        var price = market.RoundPriceDown(mark * (1m + (random.Next(-50, 51) / 10_000m)));
        var quantity = random.Next(1, market.IsInverse ? 3_000 : 3_000) * market.LotSize;
        var fee = decimal.Round(ContractMath.Notional(market, quantity, price) * 0.0004m, 8, MidpointRounding.ToPositiveInfinity);
        Func<Account, AccountEvent?> buy = x => x.DecideFill(new Fill($"t{step}-b", market.Symbol, Side.Buy, quantity, price, fee), market);
        Func<Account, AccountEvent?> sell = x => x.DecideFill(new Fill($"t{step}-s", market.Symbol, Side.Sell, quantity, price, fee), market);
        world.Run(buyer, buy);
        world.Run(seller, sell);
        replays.Add((buyer, buy));
        replays.Add((seller, sell));
    }

    private static void MoveMark(World world, Random random, MarketDefinition market)
    {
        var mark = world.Context.Mark(market.Symbol);
        var next = market.RoundPriceDown(mark * (1m + (random.Next(-800, 801) / 10_000m)));
        world.Context.SetMark(market.Symbol, Math.Clamp(next, 1_000m, 200_000m));
    }

    private static void LiquidateEveryBreach(World world, Random random, int step)
    {
        foreach (var id in AccountIds)
        {
            var account = world.Account(id);

            // The lean hot path and the full report must always agree on the level.
            Assert.Equal(account.Report(world.Context, world.Thresholds).WorstLevel, account.Assess(world.Context, world.Thresholds).WorstLevel);
            foreach (var scope in account.ScopesInBreach(world.Context, world.Thresholds))
            {
                Assert.True(world.Liquidate(id, scope, $"liq-{step}-{id}-{scope}", random.Next(0, 200)));

                // No account ends a liquidation with negative margin, and the scope is no longer in breach.
                var after = account.Positions.Values.Any(p => scope.Symbol is { } s ? p.Symbol == s : !p.IsIsolated && p.SettleAsset == scope.Asset)
                    ? account.Scope(scope, world.Context, world.Thresholds)
                    : null;
                Assert.False(after?.InBreach ?? false, $"{id} {scope} still in breach after its liquidation");
                var balance = scope.Symbol is { } isolated ? account.IsolatedMargin(isolated, scope.Asset) : account.Wallet(scope.Asset);
                Assert.True(after is not null || balance >= 0m, $"{id} {scope} ended its liquidation at {balance}");
            }
        }
    }

    private static bool TryRun(World world, string account, Func<Account, AccountEvent?> decide)
    {
        try
        {
            return world.Run(account, decide) is not null;
        }
        catch (DomainException)
        {
            // Refused: the assertion below proves it changed nothing.
            AssertUnchanged(world, account, () => Assert.Throws<DomainException>(() => world.Run(account, decide)));
            return false;
        }
    }

    private static void AssertUnchanged(World world, string accountId, Action action)
    {
        var account = world.Account(accountId);
        var balances = account.Balances.ToDictionary();
        var positions = account.Positions.Values.ToList();
        var version = account.Version;
        var transactions = world.Book.TransactionCount;
        action();
        Assert.Equal(balances, account.Balances.ToDictionary());
        Assert.Equal(positions, account.Positions.Values.ToList());
        Assert.Equal(version, account.Version);
        Assert.Equal(transactions, world.Book.TransactionCount);
    }

    private static void AssertLedgerInvariants(World world)
    {
        Assert.Equal(0m, world.Book.Total("USDT"));
        Assert.Equal(0m, world.Book.Total("BTC"));
        foreach (var account in world.Accounts.Values)
        {
            foreach (var (key, amount) in account.Balances)
            {
                Assert.Equal(world.Book.Balance(key), amount);
            }

            foreach (var position in account.Positions.Values.Where(p => p.IsIsolated))
            {
                Assert.Equal(world.Book.Balance(LedgerAccount.Isolated(account.Id, position.Symbol, position.SettleAsset)), position.IsolatedMargin);
            }
        }

        foreach (var (key, amount) in world.Book.Balances.Where(b => b.Key.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin))
        {
            Assert.Equal(amount, world.Accounts[key.Owner].Balances.GetValueOrDefault(key));
        }

        foreach (var fund in world.Funds.Values)
        {
            Assert.True(fund.Balance >= 0m);
            Assert.Equal(world.Book.Balance(LedgerAccount.InsuranceFund(fund.Asset)), fund.Balance);
        }

        // Only deposits, withdrawals and realized PnL of trades create or remove value.
        foreach (var entry in world.Book.Entries)
        {
            if (ValueCreatingKinds.TryGetValue(entry.Account.Kind.ToString(), out _))
            {
                var kind = entry.Kind switch
                {
                    EntryKind.Deposit or EntryKind.Withdrawal or EntryKind.FundDeposit => nameof(LedgerAccountKind.External),
                    EntryKind.RealizedPnl or EntryKind.AdlPnl => nameof(LedgerAccountKind.Clearing),
                    _ => "other",
                };
                Assert.Equal(entry.Account.Kind.ToString(), kind);
            }
        }
    }

    private static void AssertReplayRebuildsEveryAccount(World world)
    {
        foreach (var (id, events) in world.Events)
        {
            var rebuilt = new Account(id);
            foreach (var e in events)
            {
                rebuilt.Apply(e);
            }

            var original = world.Accounts[id];
            Assert.Equal(original.Version, rebuilt.Version);
            Assert.Equal(original.Balances.OrderBy(b => b.Key.ToString()), rebuilt.Balances.OrderBy(b => b.Key.ToString()));
            Assert.Equal(original.Positions.Values.OrderBy(p => p.Symbol), rebuilt.Positions.Values.OrderBy(p => p.Symbol));
        }
    }
}
