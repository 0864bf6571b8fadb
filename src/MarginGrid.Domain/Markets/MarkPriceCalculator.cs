using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Markets;

/// <summary>
/// Derives a mark from index ticks (margin-rules.md section 6):
/// <c>median(IP·(1 + F_last·τ/interval), IP + movingAverage(basis), lastTradePrice)</c> over the inputs
/// that are fed; the index alone gives the index.
/// </summary>
public static class MarkPriceCalculator
{
    /// <param name="timeToFundingFraction">τ/interval: the part of the funding interval still to run, 0..1.</param>
    public static decimal Derive(decimal indexPrice, decimal? lastFundingRate, decimal timeToFundingFraction, decimal? basisMovingAverage, decimal? lastTradePrice)
    {
        Require.Positive(indexPrice, "Index price", ErrorCodes.InvalidPrice);
        Require.That(timeToFundingFraction is >= 0m and <= 1m, ErrorCodes.InvalidArgument, "τ/interval must be within 0..1.");

        Span<decimal> inputs = stackalloc decimal[3];
        var count = 0;
        inputs[count++] = lastFundingRate is { } f ? indexPrice * (1m + (f * timeToFundingFraction)) : indexPrice;
        if (basisMovingAverage is { } basis)
        {
            inputs[count++] = indexPrice + basis;
        }

        if (lastTradePrice is { } last)
        {
            Require.Positive(last, "Last trade price", ErrorCodes.InvalidPrice);
            inputs[count++] = last;
        }

        return Median(inputs[..count]);
    }

    private static decimal Median(Span<decimal> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2m;
    }
}
