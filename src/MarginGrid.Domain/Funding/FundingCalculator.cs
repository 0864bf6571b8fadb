using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Funding;

/// <summary>Premium samples, the funding rate and each holder's payment (margin-rules.md section 7).</summary>
public static class FundingCalculator
{
    /// <summary><c>P = [max(0, impactBid − IP) − max(0, IP − impactAsk)] / IP</c>.</summary>
    public static decimal PremiumSample(decimal indexPrice, decimal impactBid, decimal impactAsk)
    {
        Require.Positive(indexPrice, "Index price", ErrorCodes.InvalidPrice);
        Require.Positive(impactBid, "Impact bid", ErrorCodes.InvalidPrice);
        Require.Positive(impactAsk, "Impact ask", ErrorCodes.InvalidPrice);
        Require.That(impactBid <= impactAsk, ErrorCodes.InvalidPrice, $"Impact bid {impactBid} is above impact ask {impactAsk}.");
        return (Math.Max(0m, impactBid - indexPrice) - Math.Max(0m, indexPrice - impactAsk)) / indexPrice;
    }

    /// <summary>The samples of an interval averaged with weights 1..n, so later samples weigh more; 0 without samples.</summary>
    public static decimal PremiumAverage(ReadOnlySpan<decimal> samples)
    {
        if (samples.IsEmpty)
        {
            return 0m;
        }

        decimal weighted = 0m;
        for (var i = 0; i < samples.Length; i++)
        {
            weighted += (i + 1) * samples[i];
        }

        var totalWeight = (decimal)samples.Length * (samples.Length + 1) / 2m;
        return weighted / totalWeight;
    }

    /// <summary><c>F = P̄ + clamp(I − P̄, −clamp, +clamp)</c>, then clamped to <c>±cap</c>.</summary>
    public static decimal Rate(decimal premiumAverage, decimal interestRate, decimal premiumClamp, decimal fundingCap)
    {
        Require.NotNegative(premiumClamp, "Premium clamp", ErrorCodes.InvalidRate);
        Require.Positive(fundingCap, "Funding cap", ErrorCodes.InvalidRate);
        var rate = premiumAverage + Math.Clamp(interestRate - premiumAverage, -premiumClamp, premiumClamp);
        return Math.Clamp(rate, -fundingCap, fundingCap);
    }

    /// <summary>The rate of a market from its interval's premium samples.</summary>
    public static decimal Rate(MarketDefinition market, ReadOnlySpan<decimal> premiumSamples) =>
        Rate(PremiumAverage(premiumSamples), market.InterestRate, market.PremiumClamp, market.FundingCap);

    /// <summary>
    /// What a holder pays at a settlement, exact: <c>s·N·F</c> (linear <c>S·cs·MP·F</c>, inverse
    /// <c>S·cs/MP·F</c>). Positive means the holder pays; negative means it receives.
    /// </summary>
    public static decimal Payment(MarketDefinition market, decimal signedSize, decimal markPrice, decimal rate) =>
        Math.Sign(signedSize) * ContractMath.Notional(market, Math.Abs(signedSize), markPrice) * rate;
}
