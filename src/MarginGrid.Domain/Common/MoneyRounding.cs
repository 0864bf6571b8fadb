namespace MarginGrid.Domain.Common;

/// <summary>
/// Where money moves it is rounded to the asset's precision (margin-rules.md section 10): what the venue
/// takes is rounded up, what a trader is credited is rounded down. Full precision is kept everywhere else.
/// </summary>
public static class MoneyRounding
{
    /// <summary>Rounds toward negative infinity: a credit shrinks, a debit grows. Used for trader flows.</summary>
    public static decimal InVenueFavour(decimal traderFlow, int decimals) =>
        decimal.Round(traderFlow, decimals, MidpointRounding.ToNegativeInfinity);

    /// <summary>Rounds a charge (a positive amount the venue takes) up.</summary>
    public static decimal ChargeUp(decimal charge, int decimals) =>
        decimal.Round(charge, decimals, MidpointRounding.ToPositiveInfinity);

    /// <summary>Rounds a positive amount paid out down.</summary>
    public static decimal PayDown(decimal payout, int decimals) =>
        decimal.Round(payout, decimals, MidpointRounding.ToNegativeInfinity);
}
