using MarginGrid.Abstractions.Accounts;
using MarginGrid.Domain.Margin;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A shard's holders indexed by their bands, so that a new mark touches only the accounts it can matter to:
/// those with no band, those whose band starts above the mark, and those whose band ends below it. A scan of
/// every holder per tick was the largest cost at a million accounts (memory-bound, ~350 ns per holder).
/// Also keeps the shard's at-risk notional (accounts at danger or worse) as reports change.
/// </summary>
public sealed class HolderBandIndex
{
    private static readonly Comparer<(decimal Bound, string Id)> ByBound = Comparer<(decimal Bound, string Id)>.Create((a, b) =>
    {
        var byBound = a.Bound.CompareTo(b.Bound);
        return byBound != 0 ? byBound : string.CompareOrdinal(a.Id, b.Id);
    });

    private readonly HashSet<string> _unbanded = new(StringComparer.Ordinal);
    private readonly SortedSet<(decimal Bound, string Id)> _byLow = new(ByBound);
    private readonly SortedSet<(decimal Bound, string Id)> _byHigh = new(ByBound);
    private readonly Dictionary<string, HolderReport> _indexed = new(StringComparer.Ordinal);

    public decimal AtRiskNotional { get; private set; }

    /// <summary>Indexes a holder by its report; null (no report yet, or a failed delivery) means every mark reaches it.</summary>
    public void Set(string id, HolderReport? report)
    {
        Remove(id);
        if (report is null || !report.Banded)
        {
            _unbanded.Add(id);
        }
        else
        {
            if (report.BandLow is { } low)
            {
                _byLow.Add((low, id));
            }

            if (report.BandHigh is { } high)
            {
                _byHigh.Add((high, id));
            }
        }

        if (report is not null)
        {
            _indexed[id] = report;
            AtRiskNotional += AtRisk(report);
        }
    }

    public void Remove(string id)
    {
        _unbanded.Remove(id);
        if (_indexed.Remove(id, out var old))
        {
            AtRiskNotional -= AtRisk(old);
            if (old.Banded && old.BandLow is { } low)
            {
                _byLow.Remove((low, id));
            }

            if (old.Banded && old.BandHigh is { } high)
            {
                _byHigh.Remove((high, id));
            }
        }
    }

    /// <summary>Adds to <paramref name="targets"/> every holder whose band does not hold <paramref name="price"/>.</summary>
    public void Targets(decimal price, List<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        targets.AddRange(_unbanded);
        if (_byLow.Count > 0 && _byLow.Max.Bound > price)
        {
            foreach (var (low, id) in _byLow.GetViewBetween((price, ""), _byLow.Max))
            {
                if (low > price)
                {
                    targets.Add(id);
                }
            }
        }

        if (_byHigh.Count > 0 && _byHigh.Min.Bound < price)
        {
            foreach (var (_, id) in _byHigh.GetViewBetween(_byHigh.Min, (price, "")))
            {
                targets.Add(id);
            }
        }
    }

    private static decimal AtRisk(HolderReport report) => report.Level >= (int)MarginLevel.Danger ? report.Notional : 0m;
}
