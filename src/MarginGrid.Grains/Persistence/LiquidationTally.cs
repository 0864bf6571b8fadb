using System.Collections.Immutable;
using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The liquidation summary as additive totals, kept by the archive as it appends: what newly archived records
/// add, and the summary a set of totals makes. Counted where records are appended once by id, so each
/// liquidation counts exactly once, whatever is retried.
/// </summary>
public static class LiquidationTally
{
    public const string Records = "records";
    public const string Fees = "fees";
    public const string FundPayouts = "fund_payouts";
    public const string Deficits = "deficits";
    public const string StatusPrefix = "status:";
    public const string StepPrefix = "step:";

    /// <summary>What <paramref name="records"/> add to the totals, one line per metric they touch.</summary>
    public static IReadOnlyList<LiquidationTotal> Of(IEnumerable<LiquidationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        decimal fees = 0m, payouts = 0m, deficits = 0m;
        foreach (var record in records)
        {
            Add(counts, Records);
            Add(counts, StatusPrefix + record.Status);
            foreach (var step in record.Steps)
            {
                Add(counts, StepPrefix + step.Kind);
            }

            fees += record.Fee;
            payouts += record.FundPayout;
            deficits += record.Deficit;
        }

        if (counts.Count == 0)
        {
            return [];
        }

        return [.. counts.Select(c => new LiquidationTotal(c.Key, c.Value, 0m)),
            new LiquidationTotal(Fees, 0, fees), new LiquidationTotal(FundPayouts, 0, payouts), new LiquidationTotal(Deficits, 0, deficits)];
    }

    /// <summary>The summary the totals make.</summary>
    public static LiquidationSummary Summary(IEnumerable<LiquidationTotal> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var byStatus = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        var byStep = ImmutableDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        decimal fees = 0m, payouts = 0m, deficits = 0m;
        long records = 0;
        foreach (var total in totals)
        {
            switch (total.Metric)
            {
                case Records: records += total.Count; break;
                case Fees: fees += total.Amount; break;
                case FundPayouts: payouts += total.Amount; break;
                case Deficits: deficits += total.Amount; break;
                case var status when status.StartsWith(StatusPrefix, StringComparison.Ordinal):
                    byStatus[status[StatusPrefix.Length..]] = byStatus.GetValueOrDefault(status[StatusPrefix.Length..]) + total.Count;
                    break;
                case var step when step.StartsWith(StepPrefix, StringComparison.Ordinal):
                    byStep[step[StepPrefix.Length..]] = byStep.GetValueOrDefault(step[StepPrefix.Length..]) + total.Count;
                    break;
            }
        }

        return new LiquidationSummary(byStatus.ToImmutable(), byStep.ToImmutable(), fees, payouts, deficits, records);
    }

    private static void Add(Dictionary<string, long> counts, string metric) => counts[metric] = counts.GetValueOrDefault(metric) + 1;
}
