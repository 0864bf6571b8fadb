namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// One page request over the archive of finished liquidations. Filters: the account, a symbol (any mark the
/// breach was detected at, or any step), and the start time in [<see cref="From"/>, <see cref="To"/>).
/// Pages run in archive order (the order records were archived: the order they ended, except that records
/// held back by an archive outage come in when it ends), newest first unless <see cref="OldestFirst"/>.
/// <see cref="After"/> is the archive position the previous page ended at (exclusive).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.LiquidationQuery")]
public sealed record LiquidationQuery(
    [property: Id(0)] string? AccountId,
    [property: Id(1)] string? Symbol,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] bool OldestFirst,
    [property: Id(5)] long? After,
    [property: Id(6)] int Limit)
{
    public const int MaxLimit = 1000;

    /// <summary>True when the record passes the filters (not the position).</summary>
    public bool Matches(LiquidationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (AccountId is null || record.Breach.AccountId == AccountId)
            && (Symbol is null || SymbolsOf(record).Contains(Symbol))
            && (From is null || record.StartedAt >= From)
            && (To is null || record.StartedAt < To);
    }

    /// <summary>The symbols a record is found by: the marks at breach and the symbols its steps traded.</summary>
    public static IReadOnlySet<string> SymbolsOf(LiquidationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mark in record.Breach.Marks)
        {
            symbols.Add(mark.Symbol);
        }

        foreach (var step in record.Steps)
        {
            if (step.Symbol is not null)
            {
                symbols.Add(step.Symbol);
            }
        }

        return symbols;
    }
}
