namespace MarginGrid.LoadTest;

/// <summary>
/// One market's recently accepted marks: each sequence with the <see cref="System.Diagnostics.Stopwatch"/> timestamp at
/// which <c>AcceptMark</c> returned it, oldest first. A ring of fixed size, so a long run holds a bounded amount; the
/// readers of the HTTP API need only the last few seconds of it.
/// </summary>
public sealed class MarkHistory
{
    private readonly long[] _sequences;
    private readonly long[] _acceptedAt;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    public MarkHistory(int capacity = 4_096)
    {
        _sequences = new long[capacity];
        _acceptedAt = new long[capacity];
    }

    /// <summary>Records a mark; one market's marks are sent one after another, so they arrive in sequence order.</summary>
    public void Record(long sequence, long acceptedAt)
    {
        lock (_gate)
        {
            _sequences[_next] = sequence;
            _acceptedAt[_next] = acceptedAt;
            _next = (_next + 1) % _sequences.Length;
            _count = Math.Min(_count + 1, _sequences.Length);
        }
    }

    /// <summary>The sequence of the newest mark accepted at or before <paramref name="timestamp"/>; 0 when none is known.</summary>
    public long NewestAcceptedBy(long timestamp)
    {
        lock (_gate)
        {
            // Newest first: the marks a read asks about are the last few.
            for (var i = 1; i <= _count; i++)
            {
                var k = Index(i);
                if (_acceptedAt[k] <= timestamp)
                {
                    return _sequences[k];
                }
            }

            return 0;
        }
    }

    /// <summary>
    /// The acceptance timestamps of the marks with a sequence in (<paramref name="after"/>, <paramref name="upTo"/>]
    /// accepted at or after <paramref name="notBefore"/>, added to <paramref name="into"/>.
    /// </summary>
    public void AcceptedBetween(long after, long upTo, long notBefore, List<long> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_gate)
        {
            for (var i = 1; i <= _count; i++)
            {
                var k = Index(i);
                if (_sequences[k] <= after)
                {
                    return;
                }

                if (_sequences[k] <= upTo && _acceptedAt[k] >= notBefore)
                {
                    into.Add(_acceptedAt[k]);
                }
            }
        }
    }

    /// <summary>The slot of the i-th newest entry (1 is the newest).</summary>
    private int Index(int i) => ((_next - i) % _sequences.Length + _sequences.Length) % _sequences.Length;
}
