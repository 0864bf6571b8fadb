namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// How a market's holders are split over shard grains (<c>"{symbol}/{k}"</c>): a fixed count, so any
/// node finds an account's shard from the account id alone, without asking the market.
/// </summary>
public static class MarketShards
{
    public const int Count = 16;

    public static string Key(string symbol, int shard) => $"{symbol}/{shard}";

    public static int Of(string accountId)
    {
        // FNV-1a: stable across processes and runs (string.GetHashCode is randomized per process).
        var hash = 2166136261u;
        foreach (var c in accountId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Count);
    }

    public static string KeyFor(string symbol, string accountId) => Key(symbol, Of(accountId));
}
