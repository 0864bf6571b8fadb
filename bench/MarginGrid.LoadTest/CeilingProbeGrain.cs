namespace MarginGrid.LoadTest;

/// <summary>Counts the pings it receives, process-wide.</summary>
public sealed class CeilingProbeGrain : Grain, ICeilingProbeGrain
{
    private static long s_received;

    public static long Received => Interlocked.Read(ref s_received);

    public Task Ping()
    {
        Interlocked.Increment(ref s_received);
        return Task.CompletedTask;
    }
}
