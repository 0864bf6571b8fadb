namespace MarginGrid.Abstractions.Liquidations;

/// <summary>Which coordinator partition owns an account's liquidations; a liquidation id names its partition.</summary>
public static class LiquidationPartitions
{
    public const int Count = 8;

    public static int Of(string accountId) => Markets.MarketShards.Of(accountId) % Count;

    /// <summary>The partition of a liquidation id of the form <c>"L{partition}-{n}"</c>; null when malformed.</summary>
    public static int? OfLiquidation(string liquidationId)
    {
        var dash = liquidationId.IndexOf('-', StringComparison.Ordinal);
        return liquidationId.Length > 1 && liquidationId[0] == 'L' && dash > 1
            && int.TryParse(liquidationId.AsSpan(1, dash - 1), out var p) && p is >= 0 and < Count ? p : null;
    }
}
