using CsCheck;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Margin;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Properties;

/// <summary>
/// Funding recorded once per round and realised lazily pays exactly what settling every holder at every round
/// paid: the same legs, to the last decimal, whatever the fills between the rounds (opening after a round,
/// closing, flipping, adding), linear and inverse, cross and isolated.
/// </summary>
public sealed class LazyFundingProperties
{
    private static readonly MarginLevelThresholds Thresholds = MarginLevelThresholds.Default;

    /// <summary>One step: a fill (side, lots) or a funding round (rate in basis points), at a mark.</summary>
    private sealed record Step(bool IsRound, bool Buy, int Lots, int RateBasisPoints, decimal Mark);

    [Fact]
    public void Realising_due_rounds_before_each_size_change_equals_settling_every_round_at_once()
    {
        var gen = Generators.AnyMarket.SelectMany(market => Gen.Select(
            Gen.Const(market),
            Gen.Bool,
            Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[1, 3_000], Gen.Int[-30, 30], Generators.Price(market))
                .Select((kind, buy, lots, rate, mark) => new Step(kind == 0, buy, lots, rate, mark)).Array[1, 24]));
        gen.Sample((market, isolated, steps) =>
        {
            var eager = Open(market, isolated);
            var lazy = Open(market, isolated);
            var eagerBook = new LedgerBook();
            var lazyBook = new LedgerBook();
            var rounds = new List<FundingRound>();
            for (var i = 0; i < steps.Length; i++)
            {
                var step = steps[i];
                if (step.IsRound)
                {
                    var round = new FundingRound($"s{i}", rounds.Count + 1, step.RateBasisPoints / 10_000m, step.Mark);
                    rounds.Add(round);
                    Post(eagerBook, eager.Execute(a => a.DecideFunding(round.SettlementId, market, round.Rate, round.MarkPrice, round.Sequence)));
                    lazy.KnowFundingRound(market.Symbol, round.Sequence);
                    continue;
                }

                var fill = new Fill($"f{i}", market.Symbol, step.Buy ? Side.Buy : Side.Sell, step.Lots * market.LotSize, step.Mark, 0m);
                Post(eagerBook, eager.Execute(a => a.DecideFill(fill, market)));
                foreach (var realised in lazy.SettleDueFunding(market, rounds))
                {
                    Post(lazyBook, realised);
                }

                Post(lazyBook, lazy.Execute(a => a.DecideFill(fill, market)));
            }

            foreach (var realised in lazy.SettleDueFunding(market, rounds))
            {
                Post(lazyBook, realised);
            }

            Assert.Equal(eager.Balances.OrderBy(b => b.Key.ToString()), lazy.Balances.OrderBy(b => b.Key.ToString()));
            var residue = LedgerAccount.Residue(market.Symbol, market.SettleAsset);
            Assert.Equal(eagerBook.Balance(residue), lazyBook.Balance(residue));

            // Realising again, or a round resent, pays nothing more.
            Assert.Empty(lazy.SettleDueFunding(market, rounds));
        }, iter: 1_500);
    }

    [Fact]
    public void A_position_opened_after_a_round_does_not_pay_it()
    {
        var market = TestMarkets.Linear();
        var account = Open(market, isolated: false);
        var round = new FundingRound("s1", 1, 0.0001m, 30_000m);
        account.KnowFundingRound(market.Symbol, round.Sequence);
        account.Execute(a => a.DecideFill(new Fill("f1", market.Symbol, Side.Buy, 1m, 30_000m, 0m), market));

        Assert.Empty(account.SettleDueFunding(market, [round]));
        Assert.Equal(1L, account.Positions[market.Symbol].FundingRound);
    }

    private static Account Open(MarketDefinition market, bool isolated)
    {
        var account = new Account("a");
        account.Execute(a => a.DecideDeposit("d", market.SettleAsset, 1_000_000_000m));
        if (isolated)
        {
            var context = new MarketSnapshot().Add(market, market.TickSize * 1_000m);
            account.Execute(a => a.DecideSettings(market.Symbol, new PositionSettings(MarginMode.Isolated, Math.Min(10, market.Brackets[0].MaxLeverage)), context, Thresholds));
        }

        return account;
    }

    private static void Post(LedgerBook book, AccountEvent? accountEvent)
    {
        foreach (var transaction in accountEvent?.Transactions ?? [])
        {
            book.Post(transaction);
        }
    }
}
