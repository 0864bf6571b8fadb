namespace MarginGrid.Grains.Infrastructure;

/// <summary>What the market gauges show of one market: its mark, when it was accepted, its staleness limit and its last funding rate.</summary>
public sealed record MarketReading(decimal Mark, DateTimeOffset At, TimeSpan StaleLimit, decimal? FundingRate);
