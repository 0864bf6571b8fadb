namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// What an account tells its shard after evaluating a mark: its signed size in the market and its ADL
/// score (so the coordinator can rank counterparties without scanning accounts), and the band of marks
/// inside which its margin level cannot change (null bounds: unbounded; both null: deliver every mark).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.HolderReport")]
public sealed record HolderReport(
    [property: Id(0)] decimal Size,
    [property: Id(1)] decimal AdlScore,
    [property: Id(2)] decimal? BandLow,
    [property: Id(3)] decimal? BandHigh);
