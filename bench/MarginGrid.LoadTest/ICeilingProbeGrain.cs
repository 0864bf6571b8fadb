namespace MarginGrid.LoadTest;

/// <summary>A grain that only counts one-way calls: Orleans' own message ceiling on this machine, for ratios.</summary>
public interface ICeilingProbeGrain : IGrainWithIntegerKey
{
    [Orleans.Concurrency.OneWay]
    Task Ping();
}
