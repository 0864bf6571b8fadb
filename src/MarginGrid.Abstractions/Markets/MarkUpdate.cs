namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// A new mark of one market, pushed to its holders. <see cref="Sequence"/> rises with every mark, so an
/// account ignores an update older than one it has; <see cref="MarketVersion"/> tells it to refresh the
/// definition; <see cref="Stale"/> tells it not to liquidate on this price.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.MarkUpdate")]
public sealed record MarkUpdate(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Price,
    [property: Id(2)] long Sequence,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] long MarketVersion,
    [property: Id(5)] bool Stale);
