using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Every finished liquidation record, kept for good (never trimmed). Each record gets an archive position
/// when it is first appended; positions only grow, and a reader never sees a lower position appear after a
/// higher one, so cursors over them neither skip nor repeat. Failures are <see cref="EventLogUnavailableException"/>.
/// </summary>
public interface ILiquidationArchive
{
    /// <summary>
    /// Appends the records that are not archived yet. Idempotent by liquidation id: a record already there
    /// keeps its first row and position, so a retry after a lost confirmation adds nothing.
    /// </summary>
    Task Append(IReadOnlyList<LiquidationRecord> records);

    Task<LiquidationRecord?> Find(string liquidationId);

    /// <summary>One page in archive order, newest first unless the query says otherwise.</summary>
    Task<LiquidationPage> Page(LiquidationQuery query);

    /// <summary>
    /// Counts by outcome and step and the money moved, over every record archived: kept as totals updated with
    /// each append (<see cref="LiquidationTally"/>), so each liquidation counts once and reading costs no scan.
    /// </summary>
    Task<LiquidationSummary> Summary();
}
