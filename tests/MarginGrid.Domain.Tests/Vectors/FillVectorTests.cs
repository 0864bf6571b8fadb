using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

public sealed class FillVectorTests
{
    public static TheoryData<string> Cases => VectorFile.Ids("fills");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fill_vectors_hold_through_the_account(string id)
    {
        var vector = VectorFile.Case("fills", id);
        var kind = Enum.Parse<MarketKind>(vector.Str("kind"), ignoreCase: true);
        var market = TestMarkets.SingleBracket("X", kind, 0.005m, contractSize: vector.Dec("contractSize"));
        var context = new MarketSnapshot().Add(market);
        var account = new Account("acct");

        if (vector.TryGetProperty("steps", out var steps))
        {
            var n = 0;
            foreach (var step in steps.EnumerateArray())
            {
                var side = Enum.Parse<Side>(step.Str("side"), ignoreCase: true);
                var wallet = account.Wallet(market.SettleAsset);
                account.Execute(a => a.DecideFill(new Fill($"f{n++}", "X", side, step.Dec("quantity"), step.Dec("price"), 0m), market));
                var position = account.Positions["X"];
                Assert.Equal(step.Dec("expectSize"), position.Size);
                Assert.Equal(step.Dec("expectEntry"), decimal.Round(position.EntryPrice, 8));
                if (step.Has("expectRealized"))
                {
                    Assert.Equal(step.Dec("expectRealized"), account.Wallet(market.SettleAsset) - wallet);
                }
            }

            return;
        }

        // A held position, a funding settlement at a mark, then the exit.
        var held = vector.GetProperty("position");
        var quantity = held.Dec("quantity");
        account.Execute(a => a.DecideFill(new Fill("open", "X", Side.Buy, quantity, held.Dec("entryPrice"), 0m), market));
        Assert.Equal(vector.Dec("expectFundingPaid"), FundingCalculator.Payment(market, quantity, vector.Dec("markAtFunding"), vector.Dec("fundingRate")));

        var before = account.Wallet(market.SettleAsset);
        account.Execute(a => a.DecideFill(new Fill("exit", "X", Side.Sell, quantity, vector.Dec("exitPrice"), 0m), market));
        Assert.Equal(vector.Dec("expectRealized"), account.Wallet(market.SettleAsset) - before);
        Assert.False(account.Positions.ContainsKey("X"));
    }
}
