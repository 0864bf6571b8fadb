namespace MarginGrid.Grains.Infrastructure;

/// <summary>The stream provider and namespaces that carry feeds in and events out of the grid.</summary>
public static class StreamNames
{
    public const string Provider = "grid";
    public const string PubSubStore = "PubSubStore";
    public const string Storage = "grid";

    /// <summary>
    /// Grain state that decides money (running liquidations, fund reservations): in the durable cluster it is kept
    /// in the ledger's database, never where a crash can take back an acknowledged write.
    /// </summary>
    public const string MoneyStorage = "money";

    /// <summary>Price ticks into a market (key: symbol), consumed by the market grain through an implicit subscription.</summary>
    public const string PriceFeed = "price-feed";

    /// <summary>Margin level changes of an account (key: account id), for the SSE endpoint.</summary>
    public const string MarginLevels = "margin-levels";

    /// <summary>Finished liquidations (key: "all"), for the audit projection and external consumers.</summary>
    public const string Liquidations = "liquidations";

    /// <summary>Insurance fund flows (key: asset).</summary>
    public const string FundFlows = "fund-flows";
}
