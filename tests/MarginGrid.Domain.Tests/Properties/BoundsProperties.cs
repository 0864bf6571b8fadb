using CsCheck;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>
/// Extreme values through every account command: each either succeeds or is refused with a
/// <see cref="DomainException"/> (never an overflow or any other exception), and the account's report still
/// computes afterwards, whatever was accepted or refused before.
/// </summary>
public sealed class BoundsProperties
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    /// <summary>Values at, around and far past every bound, and ordinary ones, of either sign.</summary>
    private static readonly Gen<decimal> Extreme = Gen.Frequency(
        (3, Gen.OneOfConst(decimal.MaxValue, decimal.MinValue, decimal.MaxValue / 3m, 1e-28m, 1e-12m, 0.01m, 0.001m, 1m, 100m, 30_000m,
            GridBounds.MaxAmount, GridBounds.MaxAmount - 0.01m, GridBounds.MaxAmount + 1m, GridBounds.MaxPrice, GridBounds.MaxPrice - 0.01m,
            GridBounds.MaxPrice + 0.01m, GridBounds.MaxUnits, 999_999_999_999.999m, 123_456_789_012_345_678.9m, 1.00000000000000000000000001m)),
        (1, Gen.Decimal),
        (1, Gen.Long.Select(l => (decimal)l)),
        (1, Gen.Int[1, 1_000_000].Select(i => i * 0.01m)));

    private static readonly Gen<decimal> Signed = Gen.Select(Extreme, Gen.Bool).Select((v, negative) => negative && v != decimal.MinValue ? -v : v);

    private static readonly Gen<Step> AnyStep = Gen.Select(Gen.Int[0, 7], Signed, Signed, Signed, Gen.Int[int.MinValue, int.MaxValue], Gen.Bool)
        .Select((kind, a, b, c, leverage, flag) => new Step(kind, a, b, c, leverage, flag));

    [Fact]
    public void Every_account_command_either_succeeds_or_is_refused_and_the_account_stays_readable()
    {
        Gen.Select(Gen.Bool, AnyStep.Array[1, 16]).Sample((inverse, steps) =>
        {
            var market = inverse ? TestMarkets.Inverse() : TestMarkets.Linear();
            var context = new MarketSnapshot().Add(market, inverse ? 30_000m : 30_000m);
            var account = new Account("extreme");
            account.Execute(a => a.DecideDeposit("seed", market.SettleAsset, 1_000m));
            var n = 0;
            foreach (var step in steps)
            {
                n++;
                try
                {
                    Run(account, market, context, step, n);
                }
                catch (DomainException)
                {
                    // A refusal: fine, as long as the account still reads below.
                }

                var report = account.Report(context, Thresholds);
                Assert.NotNull(report);
                foreach (var wallet in account.WalletBalances())
                {
                    Assert.True(Math.Abs(wallet.Balance) <= GridBounds.MaxAmount, $"wallet {wallet.Balance} past the bound after {step}");
                }
            }
        }, iter: 10_000);
    }

    private static void Run(Account account, MarketDefinition market, MarketSnapshot context, Step step, int n)
    {
        var asset = market.SettleAsset;
        var symbol = market.Symbol;
        switch (step.Kind)
        {
            case 0:
                account.Execute(a => a.DecideDeposit($"d{n}", asset, step.A));
                break;
            case 1:
                account.Execute(a => a.DecideWithdrawal($"w{n}", asset, step.A, context, Thresholds));
                break;
            case 2:
                account.Execute(a => a.DecideFill(new Fill($"f{n}", symbol, step.Flag ? Side.Buy : Side.Sell, Lots(market, step.A), Ticks(market, step.B), Cents(step.C)), market));
                break;
            case 3:
                account.Execute(a => a.DecideSettings(symbol, new PositionSettings(step.Flag ? MarginMode.Isolated : MarginMode.Cross, step.Leverage), context, Thresholds));
                break;
            case 4:
                account.Execute(a => a.DecideIsolatedMarginChange($"o{n}", symbol, step.A, context, Thresholds));
                break;
            case 5:
                account.CheckOrder(symbol, step.Flag ? Side.Buy : Side.Sell, Lots(market, step.A), Ticks(market, step.B), context, Thresholds);
                break;
            case 6:
                account.Execute(a => a.DecideFunding($"s{n}", market, step.C / 1_000_000m % 0.003m, Ticks(market, step.B)));
                break;
            default:
                // A new mark, as the market grain would accept it: within the price bound and on the tick.
                var mark = Ticks(market, step.B);
                market.RequireValidPrice(mark, "Mark price");
                context.SetMark(symbol, mark);
                break;
        }
    }

    /// <summary>Half the time a value snapped onto the lot (so it passes the shape checks and reaches the bounds), else raw.</summary>
    private static decimal Lots(MarketDefinition market, decimal value) => Snap(value, market.LotSize);

    private static decimal Ticks(MarketDefinition market, decimal value) => Snap(value, market.TickSize);

    private static decimal Cents(decimal value) => Snap(value, 0.01m);

    private static decimal Snap(decimal value, decimal step)
    {
        try
        {
            return decimal.Round(Math.Abs(value) / step) * step;
        }
        catch (OverflowException)
        {
            return value;
        }
    }

    private sealed record Step(int Kind, decimal A, decimal B, decimal C, int Leverage, bool Flag);
}
