using CsCheck;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Properties;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Behaviour;

/// <summary>
/// The funding audit finds nothing in a ledger written by lazy funding, whatever the fills between the rounds, and
/// finds each way a holder can be paid wrongly: a round skipped, a round paid twice or under an id the market never
/// recorded, a wrong amount, a round jumped by a fill.
/// </summary>
public sealed class FundingAuditTests
{
    private static readonly MarketDefinition Market = TestMarkets.Linear();

    [Fact]
    public void Funding_realised_lazily_between_any_fills_passes_the_audit_with_per_round_totals()
    {
        var gen = Generators.AnyMarket.SelectMany(market => Gen.Select(
            Gen.Const(market),
            Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[1, 3_000], Gen.Int[-30, 30], Generators.Price(market)).Array[1, 24]));
        gen.Sample((market, steps) =>
        {
            var (events, rounds) = Trade(market, steps.Select(s => (s.Item1 == 0, s.Item2, s.Item3, s.Item4, s.Item5)));
            var audit = Audit(market, rounds, events);

            Assert.Empty(audit.Findings);
            var residue = events.SelectMany(e => e.Transactions).SelectMany(t => t.Entries)
                .Where(e => e.Account.Kind == Ledger.LedgerAccountKind.Residue).Sum(e => e.Amount);
            Assert.Equal(residue, audit.Tallies().Sum(t => t.Paid - t.Received));
            Assert.Equal(events.Count(e => e.Kind == "funding"), audit.Tallies().Sum(t => t.Payments));
        }, iter: 1_000);
    }

    [Fact]
    public void A_skipped_round_is_found()
    {
        var (events, rounds) = HeldThroughThreeRounds();
        events.Remove(events.First(e => e.CommandKey == Account.FundingKey(Market.Symbol, "r2")));

        var finding = Assert.Single(Audit(Market, rounds, events).Findings);

        Assert.Equal((2m, 3m), (finding.Expected, finding.Actual));
        Assert.Contains("skipped", finding.Detail);
    }

    [Fact]
    public void A_last_round_left_unpaid_before_a_fill_is_found()
    {
        var (events, rounds) = HeldThroughThreeRounds();
        events.Remove(events.First(e => e.CommandKey == Account.FundingKey(Market.Symbol, "r3")));

        var finding = Assert.Single(Audit(Market, rounds, events).Findings);

        Assert.Contains("moved the position's funding round", finding.Detail);
    }

    [Fact]
    public void A_round_paid_twice_is_found()
    {
        var (events, rounds) = HeldThroughThreeRounds();
        var second = events.First(e => e.CommandKey == Account.FundingKey(Market.Symbol, "r2"));
        events.Insert(events.IndexOf(second) + 1, second);

        Assert.Contains(Audit(Market, rounds, events).Findings, f => f.Detail.Contains("paid again"));
    }

    [Fact]
    public void A_payment_under_an_id_the_market_never_recorded_is_found()
    {
        var (events, rounds) = HeldThroughThreeRounds();

        var audit = Audit(Market, rounds.Where(r => r.SettlementId != "r3").ToList(), events);

        Assert.Contains(audit.Findings, f => f.Detail.Contains("never recorded"));
    }

    [Fact]
    public void A_wrong_amount_is_found()
    {
        var (events, rounds) = HeldThroughThreeRounds();

        var audit = Audit(Market, [.. rounds.Select(r => r.SettlementId == "r2" ? r with { Rate = r.Rate * 2 } : r)], events);

        var finding = Assert.Single(audit.Findings);
        Assert.EndsWith("#2", finding.Subject);
        Assert.NotEqual(finding.Expected, finding.Actual);
    }

    [Fact]
    public void A_round_still_owed_by_an_open_position_is_tallied_as_due()
    {
        var (events, rounds) = HeldThroughThreeRounds();
        rounds.Add(new FundingRound("r4", 4, 0.0001m, 30_000m));

        var audit = Audit(Market, rounds, events);

        Assert.Empty(audit.Findings);
        Assert.Equal([0, 0, 0, 1], audit.Tallies().Select(t => t.Due));
        Assert.Equal([1, 1, 1, 0], audit.Tallies().Select(t => t.Payments));
    }

    /// <summary>A long held through rounds r1..r3, realised before a last fill that adds to it.</summary>
    private static (List<AccountEvent> Events, List<FundingRound> Rounds) HeldThroughThreeRounds()
    {
        var (events, rounds) = Trade(Market, [
            (false, true, 100, 0, 30_000m), (true, true, 0, 1, 30_000m), (true, true, 0, -2, 31_000m), (true, true, 0, 3, 29_000m), (false, true, 10, 0, 29_000m)]);
        return ([.. events], [.. rounds]);
    }

    /// <summary>Runs fills and rounds on one account as the grid does (due rounds realised before each fill); returns its events.</summary>
    private static (List<AccountEvent> Events, List<FundingRound> Rounds) Trade(MarketDefinition market, IEnumerable<(bool IsRound, bool Buy, int Lots, int RateBasisPoints, decimal Mark)> steps)
    {
        var account = new Account("a");
        var events = new List<AccountEvent>();
        var rounds = new List<FundingRound>();
        events.Add(account.Execute(a => a.DecideDeposit("d", market.SettleAsset, 1_000_000_000m))!);
        var i = 0;
        foreach (var step in steps)
        {
            i++;
            if (step.IsRound)
            {
                rounds.Add(new FundingRound($"r{rounds.Count + 1}", rounds.Count + 1, step.RateBasisPoints / 10_000m, step.Mark));
                account.KnowFundingRound(market.Symbol, rounds.Count);
                continue;
            }

            events.AddRange(account.SettleDueFunding(market, rounds));
            var fill = new Fill($"f{i}", market.Symbol, step.Buy ? Side.Buy : Side.Sell, step.Lots * market.LotSize, step.Mark, 0m);
            if (account.Execute(a => a.DecideFill(fill, market)) is { } filled)
            {
                events.Add(filled);
            }
        }

        events.AddRange(account.SettleDueFunding(market, rounds));
        return (events, rounds);
    }

    private static FundingAudit Audit(MarketDefinition market, IReadOnlyList<FundingRound> rounds, IEnumerable<AccountEvent> events)
    {
        var audit = new FundingAudit(new Dictionary<string, IReadOnlyList<FundingRound>> { [market.Symbol] = rounds }, s => s == market.Symbol ? market : null);
        audit.AddAccount("a", events);
        return audit;
    }
}
