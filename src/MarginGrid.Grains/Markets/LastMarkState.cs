using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A market's last accepted mark and index with their times, kept apart from its definitions so that writing
/// it (after every mark, latest wins) never races a definition or funding write. A market that reactivates
/// after a restart, a restore or a Redis loss starts from it: reads answer at the last mark, flagged stale
/// once it is older than the market's limit, and nobody is liquidated on it.
/// </summary>
[GenerateSerializer]
public sealed class LastMarkState
{
    [Id(0)] public MarkUpdate? Mark { get; set; }
    [Id(1)] public decimal? Index { get; set; }
    [Id(2)] public DateTimeOffset? IndexTime { get; set; }
}
