using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

public sealed class FundingVectorTests
{
    public static TheoryData<string> Cases => VectorFile.Ids("funding");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Funding_vectors_match(string id)
    {
        var vector = VectorFile.Case("funding", id);
        if (vector.Has("premiumAverage"))
        {
            // The vectors give no cap; a cap wider than any clamp leaves the rate as the clamp made it.
            var rate = FundingCalculator.Rate(vector.Dec("premiumAverage"), vector.Dec("interest"), vector.Dec("clamp"), 0.75m);
            Assert.Equal(vector.Dec("expectRate"), rate);
            return;
        }

        // The payment, through two accounts so that the ledger shows who paid and who received.
        var market = TestMarkets.SingleBracket("X", Enum.Parse<MarketKind>(vector.Str("kind"), ignoreCase: true), 0.005m, tick: 0.01m, lot: 0.001m);
        var mark = vector.Dec("mark");
        var quantity = vector.Dec("quantity");
        var longAccount = new Account("long");
        var shortAccount = new Account("short");
        longAccount.Execute(a => a.DecideFill(new Fill("l", "X", Side.Buy, quantity, mark, 0m), market));
        shortAccount.Execute(a => a.DecideFill(new Fill("s", "X", Side.Sell, quantity, mark, 0m), market));

        longAccount.Execute(a => a.DecideFunding("settle-1", market, vector.Dec("rate"), mark));
        shortAccount.Execute(a => a.DecideFunding("settle-1", market, vector.Dec("rate"), mark));

        Assert.Equal(-vector.Dec("expectLongPays"), longAccount.Wallet("USDT"));
        Assert.Equal(vector.Dec("expectShortReceives"), shortAccount.Wallet("USDT"));
    }
}
