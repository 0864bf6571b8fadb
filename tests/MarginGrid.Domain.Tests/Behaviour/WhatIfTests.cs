using System.Text.Json;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;
using MarginGrid.Domain.Tests.Vectors;

namespace MarginGrid.Domain.Tests.Behaviour;

/// <summary>What-if: a copy of the account after hypothetical fills, valued at overridden or shocked marks.</summary>
public sealed class WhatIfTests
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    public static TheoryData<string> MarginVectors => VectorFile.Ids("liquidation-price");

    [Theory]
    [MemberData(nameof(MarginVectors))]
    public void What_if_from_a_deposit_only_account_reproduces_the_margin_vectors(string id)
    {
        var vector = VectorFile.Case("liquidation-price", id);
        var tolerance = vector.Dec("tolerance");
        if (vector.Str("mode") == "cross")
        {
            CheckCross(vector, tolerance);
            return;
        }

        foreach (var (side, sign) in new[] { ("Long", Side.Buy), ("Short", Side.Sell) })
        {
            var market = TestMarkets.SingleBracket("X", MarketKind.Linear, vector.Dec("maintenanceMarginRate"));
            var context = new MarketSnapshot().Add(market, vector.Dec("entryPrice"));
            var account = DepositOnly("USDT", 1_000_000m);
            var quantity = vector.Dec("quantity");
            var entry = vector.Dec("entryPrice");
            var leverage = vector.Has("leverage")
                ? vector.GetProperty("leverage").GetInt32()
                : (int)(ContractMath.Notional(market, quantity, entry) / vector.Dec("isolatedMargin"));

            var hypothetical = account.WhatIf([new HypotheticalTrade("X", sign, quantity, entry, 0m, MarginMode.Isolated, leverage)], context, Thresholds);
            var position = Assert.Single(hypothetical.Report(new MarkOverlay(context), Thresholds).Positions);
            AssertClose(vector.Dec($"expect{side}"), position.LiquidationPrice, tolerance);
            if (vector.Has($"expect{side}Bankruptcy"))
            {
                AssertClose(vector.Dec($"expect{side}Bankruptcy"), position.BankruptcyPrice, tolerance);
            }
        }
    }

    [Fact]
    public void The_real_account_does_not_change()
    {
        var btc = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(btc, 30_000m);
        var account = DepositOnly("USDT", 10_000m);
        account.Execute(a => a.DecideFill(new Fill("real", btc.Symbol, Side.Buy, 1m, 30_000m, 1m), btc));
        var before = Describe(account, context);

        var hypothetical = account.WhatIf([new HypotheticalTrade(btc.Symbol, Side.Sell, 3m, 31_000m, 2m)], context, Thresholds);

        Assert.Equal(before, Describe(account, context));
        Assert.Equal(-2m, hypothetical.Positions[btc.Symbol].Size);
        Assert.Equal(31_000m, hypothetical.Positions[btc.Symbol].EntryPrice);

        // 10 000 − fee 1, + realized 1 000 − fee 2.
        Assert.Equal(10_997m, hypothetical.Wallet("USDT"));
    }

    [Fact]
    public void A_hypothetical_fill_is_never_taken_as_a_replay_of_a_real_one()
    {
        var btc = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(btc, 30_000m);
        var account = DepositOnly("USDT", 10_000m);
        account.Execute(a => a.DecideFill(new Fill("what-if:1", btc.Symbol, Side.Buy, 1m, 30_000m, 0m), btc));

        var hypothetical = account.WhatIf([new HypotheticalTrade(btc.Symbol, Side.Buy, 2m, 30_000m, 0m)], context, Thresholds);

        Assert.Equal(3m, hypothetical.Positions[btc.Symbol].Size);
    }

    [Fact]
    public void Settings_of_a_hypothetical_fill_apply_only_to_the_position_it_opens()
    {
        var btc = TestMarkets.Linear();
        var eth = TestMarkets.Linear("ETHUSDT");
        var context = new MarketSnapshot().Add(btc, 30_000m).Add(eth, 2_000m);
        var account = DepositOnly("USDT", 10_000m);
        account.Execute(a => a.DecideFill(new Fill("real", btc.Symbol, Side.Buy, 1m, 30_000m, 0m), btc));

        var hypothetical = account.WhatIf(
        [
            new HypotheticalTrade(eth.Symbol, Side.Buy, 1m, 2_000m, 0m, MarginMode.Isolated, 10),
            new HypotheticalTrade(btc.Symbol, Side.Buy, 1m, 30_000m, 0m, MarginMode.Isolated, 5),
        ], context, Thresholds);

        Assert.Equal(MarginMode.Isolated, hypothetical.Positions[eth.Symbol].Mode);
        Assert.Equal(200m, hypothetical.IsolatedMargin(eth.Symbol, "USDT"));
        Assert.Equal(MarginMode.Cross, hypothetical.Positions[btc.Symbol].Mode);
        Assert.Equal(20, hypothetical.Positions[btc.Symbol].Leverage);
    }

    [Fact]
    public void A_refused_hypothetical_fill_says_which_one_and_keeps_its_code()
    {
        var btc = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(btc, 30_000m);
        var account = DepositOnly("USDT", 10_000m);

        var error = Assert.Throws<DomainException>(() => account.WhatIf(
            [new HypotheticalTrade(btc.Symbol, Side.Buy, 1m, 30_000m, 0m), new HypotheticalTrade(btc.Symbol, Side.Buy, -1m, 30_000m, 0m)], context, Thresholds));
        Assert.Equal(ErrorCodes.InvalidQuantity, error.Code);
        Assert.StartsWith("Fill 2:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30000", "-0.10", "27000")]
    [InlineData("100.01", "-0.03", "97.01")] // 97.0097 to the nearest tick
    [InlineData("100.01", "0.00005", "100.02")] // 100.0150005: above the midpoint
    [InlineData("0.02", "-0.5", "0.01")]
    public void A_shock_moves_the_current_mark_and_rounds_to_the_nearest_tick(string mark, string shock, string expected)
    {
        var btc = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(btc, Dec(mark));
        var overlay = new MarkOverlay(context).Shock(btc.Symbol, Dec(shock));
        Assert.Equal(Dec(expected), overlay.Mark(btc.Symbol));
        Assert.Equal(Dec(mark), context.Mark(btc.Symbol));
    }

    [Fact]
    public void A_market_with_no_mark_yet_is_valued_and_shocked_from_its_stand_in()
    {
        var btc = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(btc);
        var overlay = new MarkOverlay(context, new Dictionary<string, decimal> { [btc.Symbol] = 20_000m });
        Assert.Equal(20_000m, overlay.Mark(btc.Symbol));
        Assert.Equal(18_000m, overlay.Shock(btc.Symbol, -0.1m).Mark(btc.Symbol));
    }

    [Fact]
    public void Bad_marks_and_shocks_are_refused_with_their_codes()
    {
        var btc = TestMarkets.Linear();
        var context = new MarketSnapshot().Add(btc, 30_000m);
        Assert.Equal(ErrorCodes.MarkAndShock, Code(() => new MarkOverlay(context).Override(btc.Symbol, 29_000m).Shock(btc.Symbol, 0.1m)));
        Assert.Equal(ErrorCodes.InvalidShock, Code(() => new MarkOverlay(context).Shock(btc.Symbol, -1m)));
        Assert.Equal(ErrorCodes.InvalidShock, Code(() => new MarkOverlay(context).Shock(btc.Symbol, -0.9999999m)));
        Assert.Equal(ErrorCodes.InvalidPrice, Code(() => new MarkOverlay(context).Override(btc.Symbol, 29_000.001m)));
        Assert.Equal(ErrorCodes.InvalidPrice, Code(() => new MarkOverlay(context).Override(btc.Symbol, 0m)));
        Assert.Equal(ErrorCodes.UnknownMarket, Code(() => new MarkOverlay(context).Override("NOPE", 1m)));
        Assert.Equal(ErrorCodes.UnknownMarket, Code(() => new MarkOverlay(context).Shock("NOPE", 0.1m)));
    }

    private static void CheckCross(JsonElement vector, decimal tolerance)
    {
        var context = new MarketSnapshot();
        var trades = new List<HypotheticalTrade>();
        var overlay = new MarkOverlay(context);
        foreach (var p in vector.GetProperty("positions").EnumerateArray())
        {
            var market = TestMarkets.SingleBracket(p.Str("market"), MarketKind.Linear, p.Dec("maintenanceMarginRate"));
            context.Add(market, p.Dec("entryPrice"));
            var quantity = p.Dec("quantity");
            trades.Add(new HypotheticalTrade(market.Symbol, quantity > 0 ? Side.Buy : Side.Sell, Math.Abs(quantity), p.Dec("entryPrice"), 0m, MarginMode.Cross, 10));
            overlay.Override(market.Symbol, p.Dec("mark"));
        }

        var account = DepositOnly("USDT", vector.Dec("wallet"));
        var report = account.WhatIf(trades, context, Thresholds).Report(overlay, Thresholds);
        var expect = vector.GetProperty("expect");
        var scope = Assert.Single(report.Scopes);
        Assert.Equal(expect.Dec("marginBalance"), scope.MarginBalance);
        Assert.Equal(expect.Dec("maintenanceMargin"), scope.MaintenanceMargin);
        Assert.Equal(expect.Dec("marginRatio"), decimal.Round(scope.MarginRatio!.Value, 10));
        foreach (var position in report.Positions)
        {
            AssertClose(expect.Dec($"liquidationPrice{position.Symbol}"), position.LiquidationPrice, tolerance);
        }
    }

    private static Account DepositOnly(string asset, decimal amount)
    {
        var account = new Account("what-if");
        account.Execute(a => a.DecideDeposit("d", asset, amount));
        return account;
    }

    private static string Describe(Account account, IMarketContext context) =>
        $"{account.Version}|{string.Join(',', account.Balances.OrderBy(b => b.Key.ToString()).Select(b => $"{b.Key}={b.Value}"))}|" +
        $"{string.Join(',', account.Positions.Values.Select(p => p.ToString()))}|{account.HasApplied("fill:what-if:1")}|" +
        $"{account.Report(context, Thresholds).Scopes[0]}";

    private static string Code(Action action) => Assert.Throws<DomainException>(action).Code;

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertClose(decimal expected, decimal? actual, decimal tolerance)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(actual.Value - expected) <= tolerance, $"expected {expected}, got {actual}");
    }
}
