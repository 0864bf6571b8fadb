using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Options;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// The silo's budget for safety-sweep re-checks: at most <see cref="GridOptions.SafetySweepMaxPerSecond"/>, over
/// every shard. A fixed cycle makes the net's cost grow with the book: at a million accounts a 5-minute cycle
/// was 8,600 evaluations a second, more work than the ticks themselves, and each one dirtied old objects that
/// every young garbage collection then had to scan. With the budget the cost is bounded and the cycle lengthens
/// instead; below the budget nothing changes.
/// </summary>
public sealed class SafetySweepBudget
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly double _perSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;

    public SafetySweepBudget(IOptions<GridOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _perSecond = options.Value.SafetySweepMaxPerSecond;

        // One sweep interval's worth can be taken at once: shards fire their slices at spread-out moments.
        _capacity = _perSecond * Math.Max(1.0, options.Value.SafetySweepInterval.TotalSeconds);
        _tokens = _capacity;
        _refilledAt = clock.GetTimestamp();
    }

    /// <summary>How many of <paramref name="wanted"/> re-checks may run now (all of them when the budget is off).</summary>
    public int Take(int wanted)
    {
        if (wanted <= 0)
        {
            return 0;
        }

        if (_perSecond <= 0)
        {
            return wanted;
        }

        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_clock.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
            _refilledAt = now;
            var granted = (int)Math.Min(wanted, Math.Floor(_tokens));
            _tokens -= granted;
            return granted;
        }
    }

    /// <summary>Gives back what was taken but not used (holders that left, or that the fan-out reached anyway).</summary>
    public void Return(int unused)
    {
        if (unused <= 0 || _perSecond <= 0)
        {
            return;
        }

        lock (_gate)
        {
            _tokens = Math.Min(_capacity, _tokens + unused);
        }
    }
}
