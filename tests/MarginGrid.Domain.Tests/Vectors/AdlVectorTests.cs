using MarginGrid.Domain.Liquidation;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

public sealed class AdlVectorTests
{
    public static TheoryData<string> Cases => VectorFile.Ids("auto-deleverage");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scores_and_order_match(string id)
    {
        var vector = VectorFile.Case("auto-deleverage", id);
        var candidates = vector.GetProperty("candidates").EnumerateArray().Select(c =>
        {
            var score = AdlRanking.Score(c.Dec("pnlPercent"), c.Dec("effectiveLeverage"));
            Assert.Equal(c.Dec("expectScore"), score);
            return new AdlCandidate(c.Str("id"), 1m, score);
        }).ToArray();

        var expectedOrder = vector.GetProperty("expectOrder").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(expectedOrder, AdlRanking.Rank(candidates).Select(c => c.AccountId).ToArray());
    }
}
