using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace MarginGrid.Grains.Persistence;

/// <summary>The embedded default: counters in this process, lost only together with everything they key.</summary>
public sealed class InMemoryIdBlockSource : IIdBlockSource
{
    private readonly ConcurrentDictionary<IdCounter, StrongBox<long>> _next = new();

    public Task<long> Reserve(IdCounter counter, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var next = _next.GetOrAdd(counter, _ => new StrongBox<long>(0));
        return Task.FromResult(Interlocked.Add(ref next.Value, count) - count + 1);
    }
}
