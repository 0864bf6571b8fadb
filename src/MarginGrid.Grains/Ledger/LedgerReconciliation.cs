using System.Collections.Immutable;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Ledger;

/// <summary>
/// The arithmetic of a reconciliation, apart from where the numbers come from: fed the events of every
/// money stream, the store's totals and the live balances, it lists every difference.
/// </summary>
public sealed class LedgerReconciliation
{
    private readonly Dictionary<LedgerAccount, decimal> _fromEvents = [];
    private readonly Dictionary<string, LedgerTransaction> _firstSeen = new(StringComparer.Ordinal);
    private readonly List<ReconciliationDifference> _differences = [];
    private readonly HashSet<LedgerAccount> _live = [];
    private readonly SortedDictionary<int, PartitionTally> _partitions = [];
    private ImmutableArray<FundingRoundReconciliation> _fundingRounds = [];

    public long Transactions { get; private set; }

    public long Entries { get; private set; }

    /// <summary>
    /// Takes the events of one stream, kept in ledger <paramref name="partition"/>: checks each transaction
    /// and sums the legs the stream owns.
    /// </summary>
    public void AddStream(string stream, IEnumerable<StoredEvent> events, int partition = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(events);
        var tally = Partition(partition);
        if (stream.StartsWith(LedgerOwnership.AccountPrefix, StringComparison.Ordinal))
        {
            tally.Accounts++;
        }
        else if (stream.StartsWith(LedgerOwnership.FundPrefix, StringComparison.Ordinal))
        {
            tally.Funds++;
        }

        var seenHere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in events)
        {
            foreach (var transaction in LedgerOwnership.Transactions(stored.Event))
            {
                Transactions++;
                tally.Transactions++;
                CheckTransaction(stream, transaction, seenHere);
            }

            foreach (var (_, entry) in LedgerOwnership.OwnedEntries(stream, stored.Event))
            {
                Entries++;
                tally.Entries++;
                _fromEvents[entry.Account] = _fromEvents.GetValueOrDefault(entry.Account) + entry.Amount;
                tally.FromEvents[entry.Account] = tally.FromEvents.GetValueOrDefault(entry.Account) + entry.Amount;
            }
        }
    }

    private void CheckTransaction(string stream, LedgerTransaction transaction, HashSet<string> seenHere)
    {
        if (!seenHere.Add(transaction.TransactionId))
        {
            _differences.Add(new("duplicate", transaction.TransactionId, 1, 2, $"applied twice in {stream}"));
        }

        foreach (var (asset, sum) in LedgerTransaction.Imbalances(transaction.Entries))
        {
            _differences.Add(new("unbalanced", transaction.TransactionId, 0m, sum, $"{asset} legs in {stream}"));
        }

        if (_firstSeen.TryGetValue(transaction.TransactionId, out var earlier))
        {
            if (!earlier.Entries.SequenceEqual(transaction.Entries))
            {
                _differences.Add(new("mismatch", transaction.TransactionId, earlier.Entries.Length, transaction.Entries.Length, $"recorded with other legs in {stream}"));
            }
        }
        else
        {
            _firstSeen.Add(transaction.TransactionId, transaction);
        }
    }

    /// <summary>
    /// Compares the store's own totals (entries and snapshots) of ledger <paramref name="partition"/> with the
    /// events of the streams that partition holds.
    /// </summary>
    public void CompareStore(IEnumerable<LedgerTotal> totals, int partition = 0)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var tally = Partition(partition);
        var where = $" (ledger partition {partition})";
        var before = _differences.Count;
        var stored = totals.ToDictionary(t => t.Account);
        foreach (var total in stored.Values.Where(t => t.Snapshot != t.EntrySum))
        {
            _differences.Add(new("snapshot", total.Account.ToString(), total.EntrySum, total.Snapshot, "the balance snapshot differs from the sum of its entries" + where));
        }

        foreach (var account in stored.Keys.Union(tally.FromEvents.Keys))
        {
            var inStore = stored.TryGetValue(account, out var total) ? total.EntrySum : 0m;
            var inEvents = tally.FromEvents.GetValueOrDefault(account);
            if (inStore != inEvents)
            {
                _differences.Add(new("entries", account.ToString(), inEvents, inStore, "the ledger table differs from the events" + where));
            }
        }

        tally.Differences += _differences.Count - before;
    }

    /// <summary>Compares a balance a live grain holds with the ledger.</summary>
    public void CompareLive(string check, LedgerAccount account, decimal live)
    {
        _live.Add(account);
        var ledger = _fromEvents.GetValueOrDefault(account);
        if (ledger != live)
        {
            _differences.Add(new(check, account.ToString(), ledger, live, "the live balance differs from the sum of its ledger entries"));
        }
    }

    /// <summary>
    /// Compares one holder's live balances with the ledger: with the consistent reading, or, when the holder moved on
    /// after it, with <paramref name="newer"/> (the holder's stream read again at the holder's own version), which
    /// then also stands in for every balance the consistent reading had of it.
    /// </summary>
    public void CompareLive(string check, IEnumerable<(LedgerAccount Account, decimal Live)> live, IReadOnlyDictionary<LedgerAccount, decimal>? newer)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (newer is null)
        {
            foreach (var (account, balance) in live)
            {
                CompareLive(check, account, balance);
            }

            return;
        }

        var reported = new HashSet<LedgerAccount>();
        foreach (var (account, balance) in live)
        {
            reported.Add(account);
            var ledger = newer.GetValueOrDefault(account);
            if (ledger != balance)
            {
                _differences.Add(new(check, account.ToString(), ledger, balance, "the live balance differs from the sum of its ledger entries (read again at the holder's version)"));
            }
        }

        foreach (var (account, balance) in newer.Where(b => !reported.Contains(b.Key) && b.Value != 0m))
        {
            _differences.Add(new(check, account.ToString(), balance, 0m, "the ledger holds a balance the live grain does not report (read again at the holder's version)"));
        }

        _live.UnionWith(newer.Keys);
        _live.UnionWith(reported);
    }

    /// <summary>Balances selected by <paramref name="ownedBy"/> that the ledger has but no live grain reported.</summary>
    public void CompareUnreported(string check, Func<LedgerAccount, bool> ownedBy)
    {
        foreach (var (account, balance) in _fromEvents.Where(b => ownedBy(b.Key) && !_live.Contains(b.Key) && b.Value != 0m))
        {
            _differences.Add(new(check, account.ToString(), balance, 0m, "the ledger holds a balance the live grain does not report"));
        }
    }

    /// <summary>Takes what the funding audit found over every account stream, and its per-round totals.</summary>
    public void CompareFunding(FundingAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        _differences.AddRange(audit.Findings.Select(f => new ReconciliationDifference("funding", f.Subject, f.Expected, f.Actual, f.Detail)));
        _fundingRounds = [.. audit.Tallies().Select(t => new FundingRoundReconciliation(t.Symbol, t.Sequence, t.SettlementId, t.Payments, t.Paid, t.Received, t.Due))];
    }

    public ImmutableArray<AssetTotal> AssetTotals() =>
        [.. _fromEvents.GroupBy(b => b.Key.Asset).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new AssetTotal(g.Key, g.Sum(b => b.Value)))];

    public ReconciliationReport Report(int accounts, int funds, DateTimeOffset at)
    {
        var totals = AssetTotals();
        var differences = _differences.Concat(totals.Where(t => t.Sum != 0m)
            .Select(t => new ReconciliationDifference("asset-total", t.Asset, 0m, t.Sum, "the ledger does not sum to zero in this asset"))).ToImmutableArray();
        var partitions = _partitions.Select(p => new PartitionReconciliation(p.Key, p.Value.Accounts, p.Value.Funds, p.Value.Transactions, p.Value.Entries, p.Value.Differences));
        return new ReconciliationReport(differences.IsEmpty, accounts, funds, Transactions, Entries, _fromEvents.Count, totals, differences, at, [.. partitions], _fundingRounds);
    }

    private PartitionTally Partition(int partition)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (!_partitions.TryGetValue(partition, out var tally))
        {
            _partitions[partition] = tally = new PartitionTally();
        }

        return tally;
    }
}
