using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Persistence;

/// <summary>The embedded default archive: kept in this process, so nothing survives a restart of the process.</summary>
public sealed class InMemoryLiquidationArchive : ILiquidationArchive
{
    private readonly Lock _lock = new();
    private readonly List<LiquidationRecord> _byPosition = [];
    private readonly Dictionary<string, LiquidationRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LiquidationTotal> _totals = new(StringComparer.Ordinal);

    public Task Append(IReadOnlyList<LiquidationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_lock)
        {
            foreach (var record in records)
            {
                if (_byId.TryAdd(record.LiquidationId, record))
                {
                    _byPosition.Add(record);
                    foreach (var line in LiquidationTally.Of([record]))
                    {
                        _totals[line.Metric] = _totals.TryGetValue(line.Metric, out var total)
                            ? total with { Count = total.Count + line.Count, Amount = total.Amount + line.Amount }
                            : line;
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<LiquidationSummary> Summary()
    {
        lock (_lock)
        {
            return Task.FromResult(LiquidationTally.Summary(_totals.Values));
        }
    }

    public Task<LiquidationRecord?> Find(string liquidationId)
    {
        lock (_lock)
        {
            return Task.FromResult(_byId.GetValueOrDefault(liquidationId));
        }
    }

    public Task<LiquidationPage> Page(LiquidationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var items = new List<LiquidationRecord>();
        long? next = null;
        lock (_lock)
        {
            // Position p is index p - 1. One match beyond the limit means there is a next page.
            var count = _byPosition.Count;
            var step = query.OldestFirst ? 1 : -1;
            var i = query.OldestFirst ? (int)Math.Min(query.After ?? 0, count) : (int)Math.Min((query.After ?? count + 1L) - 2, count - 1);
            long last = 0;
            for (; i >= 0 && i < count; i += step)
            {
                if (!query.Matches(_byPosition[i]))
                {
                    continue;
                }

                if (items.Count == query.Limit)
                {
                    next = last;
                    break;
                }

                items.Add(_byPosition[i]);
                last = i + 1;
            }
        }

        return Task.FromResult(new LiquidationPage([.. items], next));
    }
}
