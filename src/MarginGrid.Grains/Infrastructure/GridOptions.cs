namespace MarginGrid.Grains.Infrastructure;

/// <summary>Deployment settings of the grid (configuration section <c>Grid</c>).</summary>
public sealed class GridOptions
{
    public const string Section = "Grid";

    /// <summary>Margin ratio at which an account reports <c>warning</c>.</summary>
    public decimal WarningRatio { get; set; } = 0.8m;

    /// <summary>Margin ratio at which an account reports <c>danger</c>.</summary>
    public decimal DangerRatio { get; set; } = 0.9m;

    /// <summary>Slippage of the default executor, in basis points against the liquidated trader.</summary>
    public int ExecutorSlippageBps { get; set; }

    /// <summary>How often each shard re-checks a slice of its holders regardless of their bands (the safety net).</summary>
    public TimeSpan SafetySweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the safety net takes to re-check every holder once.</summary>
    public TimeSpan SafetySweepCycle { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most re-checks the safety net makes per second over the whole silo (0: no cap). Beyond it the cycle
    /// lengthens (see <c>SafetySweepBudget</c>): 2,000 a second is a 5-minute cycle up to 600,000 holdings per silo.
    /// </summary>
    public int SafetySweepMaxPerSecond { get; set; } = 2_000;

    /// <summary>How many deliveries one shard keeps in flight during a pass (backpressure for passes that reach many holders).</summary>
    public int FanoutWindow { get; set; } = 256;

    /// <summary>
    /// How many funding deliveries one shard keeps in flight. Small on purpose: a settlement reaches every
    /// holder, and hundreds of thousands of funding calls queued at once delayed the marks behind them by
    /// seconds (tick-to-margin p99 11 s at 100k accounts with a window of 256). Funding is not latency-critical.
    /// </summary>
    public int FundingWindow { get; set; } = 4;

    /// <summary>How many funding deliveries the whole silo keeps in flight, over every shard (see <c>FundingGate</c>).</summary>
    public int FundingConcurrency { get; set; } = 8;

    /// <summary>
    /// How long after a funding round each shard starts having its idle holders write the round to their ledgers
    /// (holders that trade write it with their next command). Later keeps the writes away from the boundary's marks;
    /// the walk goes through <c>FundingGate</c>, so it is paced by <see cref="FundingConcurrency"/>.
    /// </summary>
    public TimeSpan FundingCompactionDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The oldest mark a money decision (a withdrawal, an isolated-margin removal, an order check, a what-if, a
    /// max-order) may use, on top of each market's own staleness limit (<c>stalePriceSeconds</c>); zero leaves
    /// the market's limit alone. Older, or no mark since the market's last activation: <c>mark_stale</c> (503).
    /// </summary>
    public TimeSpan MarkMaxAge { get; set; } = TimeSpan.Zero;
}
