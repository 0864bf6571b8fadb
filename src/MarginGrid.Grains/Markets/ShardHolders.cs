using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// A shard's holders: one record per account (its newest report, or none), the band index over those
/// reports, and the figures kept as reports change (long open interest, at-risk notional, a version for
/// cached rankings). Every change goes through here, so the record, the index and the figures stay in step.
/// Grain-scheduled: not thread-safe.
/// </summary>
public sealed class ShardHolders
{
    // An account with no report (just joined, or a delivery to it failed) is held with a null report.
    private readonly Dictionary<string, HolderReport?> _holders = new(StringComparer.Ordinal);
    private readonly HolderBandIndex _index = new();

    public int Count => _holders.Count;

    /// <summary>The open interest of the reports held: the sum of their long sizes.</summary>
    public decimal LongQuantity { get; private set; }

    /// <summary>Changes whenever a report is kept or forgotten (rankings cached on reports compare it).</summary>
    public long ReportsVersion { get; private set; }

    public decimal AtRiskNotional => _index.AtRiskNotional;

    /// <summary>Every holder with a report.</summary>
    public IEnumerable<KeyValuePair<string, HolderReport>> Reports =>
        _holders.Where(h => h.Value is not null).Select(h => KeyValuePair.Create(h.Key, h.Value!));

    public bool Contains(string accountId) => _holders.ContainsKey(accountId);

    /// <summary>The holder's report; null when it is not a holder or has not reported.</summary>
    public HolderReport? ReportOf(string accountId) => _holders.GetValueOrDefault(accountId);

    /// <summary>The holders' ids at this moment (a copy: the set may change while the caller awaits).</summary>
    public string[] Ids() => [.. _holders.Keys];

    /// <summary>Adds a holder with no report (every mark reaches it); false when it already holds.</summary>
    public bool Join(string accountId)
    {
        if (!_holders.TryAdd(accountId, null))
        {
            return false;
        }

        _index.Set(accountId, null);
        return true;
    }

    /// <summary>Removes a holder and its report; false when it did not hold.</summary>
    public bool Leave(string accountId)
    {
        var held = _holders.Remove(accountId, out var report);
        LongQuantity -= Long(report);
        _index.Remove(accountId);
        ReportsVersion++;
        return held;
    }

    /// <summary>Keeps the newer of two reports (a reply and a push can race); false for a non-holder or an older report.</summary>
    public bool Keep(string accountId, HolderReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!_holders.TryGetValue(accountId, out var held) || (held is not null && held.Stamp > report.Stamp))
        {
            return false;
        }

        LongQuantity += Long(report) - Long(held);
        _holders[accountId] = report;
        _index.Set(accountId, report);
        ReportsVersion++;
        return true;
    }

    /// <summary>No trusted report any more: every mark reaches the holder until it reports again.</summary>
    public void Forget(string accountId)
    {
        if (_holders.TryGetValue(accountId, out var held))
        {
            LongQuantity -= Long(held);
            _holders[accountId] = null;
            _index.Set(accountId, null);
        }

        ReportsVersion++;
    }

    /// <summary>Adds to <paramref name="targets"/> every holder whose band does not hold <paramref name="price"/>.</summary>
    public void Targets(decimal price, List<string> targets) => _index.Targets(price, targets);

    private static decimal Long(HolderReport? report) => Math.Max(0m, report?.Size ?? 0m);
}
