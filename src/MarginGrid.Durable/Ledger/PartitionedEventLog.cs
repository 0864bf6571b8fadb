using MarginGrid.Grains.Persistence;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// The ledger over N partitions (databases). A stream lives wholly in the partition
/// <see cref="LedgerPartitioner"/> places it in, so every per-stream call goes to that one partition and
/// each append stays one local transaction; the ledger-wide reads merge every partition. A method added
/// to <see cref="IEventLog"/> forwards in one line: <c>=&gt; For(stream).Method(stream, ...)</c>.
/// </summary>
public sealed class PartitionedEventLog : IEventLog, ILedgerReader
{
    private readonly IEventLog[] _logs;
    private readonly ILedgerReader[] _readers;

    private PartitionedEventLog(IEventLog[] logs, ILedgerReader[] readers)
    {
        _logs = logs;
        _readers = readers;
    }

    /// <summary>Partition i is <paramref name="partitions"/>[i]; the order is the partition map and must not change.</summary>
    public static PartitionedEventLog Over<TPartition>(IReadOnlyList<TPartition> partitions)
        where TPartition : IEventLog, ILedgerReader
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0)
        {
            throw new ArgumentException("A ledger needs at least one partition.", nameof(partitions));
        }

        return new([.. partitions.Cast<IEventLog>()], [.. partitions.Cast<ILedgerReader>()]);
    }

    public int Count => _logs.Length;

    /// <summary>Each partition read on its own, in partition order.</summary>
    public IReadOnlyList<ILedgerReader> Partitions => _readers;

    /// <summary>The partition that holds <paramref name="stream"/>.</summary>
    public int PartitionOf(string stream) => LedgerPartitioner.PartitionOf(stream, _logs.Length);

    public Task<IReadOnlyList<StoredEvent>> Read(string stream) => For(stream).Read(stream);

    public Task<StreamSlice> Load(string stream) => For(stream).Load(stream);

    public Task<StreamSlice?> ReadThrough(string stream, string commandKey) => For(stream).ReadThrough(stream, commandKey);

    public Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events, StreamSnapshot? snapshot = null) =>
        For(stream).Append(stream, expectedVersion, events, snapshot);

    public async Task<IReadOnlyList<string>> Streams(string prefix)
    {
        var each = await Task.WhenAll(_readers.Select(r => r.Streams(prefix)));
        return [.. each.SelectMany(s => s).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// One total per balance across partitions. A trader's or fund's balance is kept only where its stream
    /// lives; a house balance (fees, clearing, ...) is kept by every stream that posts to it, so its
    /// partitions' sums, snapshots and counts add up.
    /// </summary>
    public async Task<IReadOnlyList<LedgerTotal>> Totals()
    {
        var each = await Task.WhenAll(_readers.Select(r => r.Totals()));
        return Merge(each.SelectMany(t => t));
    }

    /// <summary>Partition by partition, each as of its own moment (there is no moment common to several databases).</summary>
    public async Task<IReadOnlyList<LedgerTotal>> ReadConsistent(IReadOnlyList<string> prefixes, Action<string, IReadOnlyList<StoredEvent>> onStream)
    {
        var each = new List<LedgerTotal>();
        foreach (var reader in _readers)
        {
            each.AddRange(await reader.ReadConsistent(prefixes, onStream));
        }

        return Merge(each);
    }

    private static List<LedgerTotal> Merge(IEnumerable<LedgerTotal> totals) =>
        [.. totals.GroupBy(t => t.Account).Select(g => new LedgerTotal(g.Key, g.Sum(t => t.EntrySum), g.Sum(t => t.Snapshot), g.Sum(t => t.Entries)))];

    private IEventLog For(string stream) => _logs[PartitionOf(stream)];
}
