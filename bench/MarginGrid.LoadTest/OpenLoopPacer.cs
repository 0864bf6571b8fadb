using System.Diagnostics;

namespace MarginGrid.LoadTest;

/// <summary>
/// Starts calls at a fixed rate whatever the server does (open loop): a slow server shows as latency, not as a lower
/// rate. At most <c>maxInFlight</c> calls are outstanding; a call due while the bound is hit is not sent, and counted.
/// </summary>
public sealed class OpenLoopPacer(double perSecond, int maxInFlight)
{
    private long _notSent;

    /// <summary>Calls that were due while <c>maxInFlight</c> were outstanding.</summary>
    public long NotSent => Interlocked.Read(ref _notSent);

    /// <summary>
    /// Paces calls for <paramref name="duration"/>, then waits up to <paramref name="drain"/> for the outstanding ones.
    /// <paramref name="prepare"/> runs on the pacing loop (one at a time, so it may use an unshared random); the call it
    /// returns receives its intended start (a <see cref="Stopwatch"/> timestamp) and must not throw.
    /// </summary>
    public async Task Run(TimeSpan duration, TimeSpan drain, Func<Func<long, Task>> prepare, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        // Not disposed: a call that outlasts the drain still releases its slot afterwards.
        var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0L; !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due >= duration)
            {
                break;
            }

            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (!slots.Wait(0, CancellationToken.None))
            {
                Interlocked.Increment(ref _notSent);
                continue;
            }

            var call = prepare();
            var intended = start + (long)(due.TotalSeconds * Stopwatch.Frequency);
            _ = Task.Run(async () =>
            {
                try
                {
                    await call(intended).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None);
        }

        // Every slot back means every call has finished; the calls' own timeout bounds the wait, and so does drain.
        var clock = Stopwatch.StartNew();
        for (var taken = 0; taken < maxInFlight; taken++)
        {
            var left = drain - clock.Elapsed;
            if (left <= TimeSpan.Zero || !await slots.WaitAsync(left, CancellationToken.None).ConfigureAwait(false))
            {
                break;
            }
        }
    }
}
