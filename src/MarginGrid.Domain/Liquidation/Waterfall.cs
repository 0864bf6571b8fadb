using MarginGrid.Domain.Common;

namespace MarginGrid.Domain.Liquidation;

/// <summary>The liquidation waterfall (margin-rules.md section 8, step 4).</summary>
public static class Waterfall
{
    /// <param name="remaining">r: the scope's margin plus the PnL realized at the close.</param>
    /// <param name="feeCharge">liquidationFeeRate · |notional at the fill price|, summed over the closed positions.</param>
    /// <param name="fundCanPay">What the insurance fund can pay now.</param>
    public static WaterfallOutcome Resolve(decimal remaining, decimal feeCharge, decimal fundCanPay)
    {
        Require.NotNegative(feeCharge, "Liquidation fee", ErrorCodes.InvalidAmount);
        Require.NotNegative(fundCanPay, "Insurance fund balance", ErrorCodes.InvalidAmount);
        if (remaining >= 0m)
        {
            var fee = Math.Min(feeCharge, remaining);
            return new WaterfallOutcome(fee, 0m, 0m, remaining - fee);
        }

        var payout = Math.Min(-remaining, fundCanPay);
        return new WaterfallOutcome(0m, payout, -remaining - payout, 0m);
    }
}
