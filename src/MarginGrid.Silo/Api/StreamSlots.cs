using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MarginGrid.Silo.Api;

/// <summary>
/// Counts the margin streams open on this silo, per API key and in all, so that one client (or all of them)
/// cannot hold an unbounded number of long-lived connections and grain subscriptions.
/// </summary>
public sealed class StreamSlots(IOptions<ApiLimits> options)
{
    private readonly ConcurrentDictionary<string, int> _perKey = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _total;

    public int Open => Volatile.Read(ref _total);

    /// <summary>Takes a slot for <paramref name="key"/>, or answers false when the key or the silo is at its cap.</summary>
    public bool TryTake(string key)
    {
        var limits = options.Value;
        lock (_gate)
        {
            var held = _perKey.GetValueOrDefault(key);
            if (held >= limits.MaxStreamsPerKey || _total >= limits.MaxStreamsPerSilo)
            {
                return false;
            }

            _perKey[key] = held + 1;
            _total++;
            return true;
        }
    }

    public void Release(string key)
    {
        lock (_gate)
        {
            var held = _perKey.GetValueOrDefault(key) - 1;
            if (held <= 0)
            {
                _perKey.TryRemove(key, out _);
            }
            else
            {
                _perKey[key] = held;
            }

            _total--;
        }
    }
}
