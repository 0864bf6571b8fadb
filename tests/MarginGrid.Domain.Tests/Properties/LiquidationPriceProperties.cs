using CsCheck;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>margin-rules.md section 9: at the printed liquidation price the scope is in breach; one tick on the safe side it is not.</summary>
public sealed class LiquidationPriceProperties
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    // The raw root is a 28-digit quotient: when the true price sits on a tick it can land 1e-24 beside it.
    private const decimal RootNoise = 0.000000000001m;

    [Fact]
    public void Printed_liquidation_price_is_a_breach_and_one_tick_safer_is_not_isolated()
    {
        var gen = Generators.AnyMarket.SelectMany(m =>
            Gen.Select(Gen.Const(m), Gen.Bool, Generators.Quantity(m), Generators.Price(m), Gen.Int[1, 2_000]));
        gen.Sample((market, isLong, quantity, entry, marginPerMille) =>
        {
            var margin = ContractMath.Notional(market, quantity, entry) * marginPerMille / 1_000m;
            var position = new Position(market.Symbol, market.SettleAsset, MarginMode.Isolated, 1, isLong ? quantity : -quantity, entry, margin);
            var printed = LiquidationPriceCalculator.PrintedForIsolated(market, position);
            if (printed is not { } lp)
            {
                return;
            }

            Assert.True(IsolatedBreach(market, position, lp), $"not a breach at printed {lp}");
            Assert.InRange(Math.Abs(lp - LiquidationPriceCalculator.ForIsolated(market, position)!.Value), 0m, market.TickSize + RootNoise);
            var safer = isLong ? lp + market.TickSize : lp - market.TickSize;
            if (safer > 0m)
            {
                Assert.False(IsolatedBreach(market, position, safer), $"still a breach one tick safer at {safer} (printed {lp})");
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Printed_liquidation_price_is_a_breach_and_one_tick_safer_is_not_cross_with_another_position()
    {
        var gen = Gen.Select(Generators.Linear, Generators.Linear).SelectMany((target, other) =>
            Gen.Select(Gen.Select(Gen.Const(target), Gen.Bool, Generators.Quantity(target), Generators.Price(target)),
                Gen.Select(Gen.Bool, Generators.Quantity(other), Generators.Price(other), Generators.Price(other)),
                Gen.Int[0, 3_000_000], Gen.Const(other)));
        gen.Sample((t, o, walletUnits, otherMarket) =>
        {
            var (market, isLong, quantity, entry) = t;
            var (otherLong, otherQuantity, otherEntry, otherMark) = o;
            var other = new MarkedPosition(Rename(otherMarket, "OTH"),
                new Position("OTH", "USDT", MarginMode.Cross, 1, otherLong ? otherQuantity : -otherQuantity, otherEntry, 0m), otherMark);
            var wallet = walletUnits * 10m;
            var position = new Position(market.Symbol, "USDT", MarginMode.Cross, 1, isLong ? quantity : -quantity, entry, 0m);
            MarkedPosition[] AtMark(decimal mark) => [new MarkedPosition(market, position, mark), other];

            var printed = LiquidationPriceCalculator.PrintedForCross(wallet, AtMark(entry), 0);
            if (printed is not { } lp)
            {
                return;
            }

            Assert.True(MarginCalculator.CrossScope("USDT", wallet, AtMark(lp), Thresholds).InBreach, $"not a breach at printed {lp}");
            Assert.InRange(Math.Abs(lp - LiquidationPriceCalculator.ForCross(wallet, AtMark(entry), 0)!.Value), 0m, market.TickSize + RootNoise);
            var safer = isLong ? lp + market.TickSize : lp - market.TickSize;
            if (safer > 0m)
            {
                Assert.False(MarginCalculator.CrossScope("USDT", wallet, AtMark(safer), Thresholds).InBreach, $"still a breach one tick safer at {safer}");
            }
        }, iter: 3_000);
    }

    [Fact]
    public void Bankruptcy_price_zeroes_the_margin_balance()
    {
        var gen = Generators.AnyMarket.SelectMany(m => Gen.Select(Gen.Const(m), Gen.Bool, Generators.Quantity(m), Generators.Price(m), Gen.Int[1, 2_000]));
        gen.Sample((market, isLong, quantity, entry, marginPerMille) =>
        {
            var size = isLong ? quantity : -quantity;
            var margin = ContractMath.Notional(market, quantity, entry) * marginPerMille / 1_000m;
            if (LiquidationPriceCalculator.Bankruptcy(market, size, entry, margin, 0m) is not { } bp)
            {
                return;
            }

            var balance = margin + ContractMath.Pnl(market, size, entry, bp);
            Assert.True(Math.Abs(balance) < 0.000000000001m * Math.Max(1m, margin), $"margin balance {balance} at bankruptcy price {bp}");
        }, iter: 5_000);
    }

    private static bool IsolatedBreach(MarketDefinition market, Position position, decimal mark) =>
        MarginCalculator.IsolatedScope(market, position, mark, Thresholds).InBreach;

    private static MarketDefinition Rename(MarketDefinition m, string symbol) =>
        new(symbol, m.Kind, m.SettleAsset, m.ContractSize, m.TickSize, m.LotSize,
            m.Brackets.Brackets.Select(b => new RiskBracketSpec(b.NotionalFloor, b.MaxLeverage, b.MaintenanceMarginRate)).ToArray(),
            m.FundingInterval, m.InterestRate, m.PremiumClamp, m.FundingCap, m.LiquidationFeeRate, m.StalePriceLimit);
}
