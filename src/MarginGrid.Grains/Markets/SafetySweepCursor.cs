using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// Where a shard's safety sweep is in its cycle: the holders as they were when the cycle started, and the
/// next to look at. Each slice (one per <see cref="GridOptions.SafetySweepInterval"/>) looks at the share of
/// them that makes a cycle last <see cref="GridOptions.SafetySweepCycle"/>, or fewer when the silo's budget
/// grants less (the cycle then lengthens). Grain-scheduled: not thread-safe.
/// </summary>
public sealed class SafetySweepCursor(TimeSpan interval, TimeSpan cycle)
{
    private string[] _order = [];
    private int _next;

    /// <summary>Whether every holder of the current cycle has been looked at (true before the first cycle).</summary>
    public bool CycleDone => _next >= _order.Length;

    /// <summary>How many holders of the cycle have been looked at.</summary>
    public int Position => _next;

    /// <summary>How many holders the current cycle looks at.</summary>
    public int Length => _order.Length;

    /// <summary>How many holders one slice looks at when the budget allows: a cycle is then cycle / interval slices.</summary>
    public int SliceSize => (int)Math.Ceiling(_order.Length * (interval / cycle));

    /// <summary>Starts a cycle over <paramref name="holders"/>.</summary>
    public void Restart(string[] holders)
    {
        ArgumentNullException.ThrowIfNull(holders);
        _order = holders;
        _next = 0;
    }

    /// <summary>
    /// Moves over at most one slice of the cycle and returns the holders <paramref name="due"/> picks, at most
    /// <paramref name="granted"/> of them: the cursor moves only over what was looked at.
    /// </summary>
    public List<string> NextSlice(int granted, Func<string, bool> due)
    {
        ArgumentNullException.ThrowIfNull(due);
        var end = Math.Min(_next + SliceSize, _order.Length);
        var picked = new List<string>(Math.Clamp(granted, 0, end - _next));
        while (_next < end && picked.Count < granted)
        {
            var id = _order[_next++];
            if (due(id))
            {
                picked.Add(id);
            }
        }

        return picked;
    }
}
