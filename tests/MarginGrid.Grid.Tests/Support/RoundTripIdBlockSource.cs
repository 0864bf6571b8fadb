using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grid.Tests.Support;

/// <summary>
/// In-memory id blocks that take as long as a database round trip to answer, as the ledger database's do: callers
/// that run out of numbers really wait, so their interleaving is exercised.
/// </summary>
public sealed class RoundTripIdBlockSource(TimeSpan roundTrip) : IIdBlockSource
{
    private readonly InMemoryIdBlockSource _numbers = new();
    private int _reservations;

    public int Reservations => Volatile.Read(ref _reservations);

    public async Task<long> Reserve(IdCounter counter, int count)
    {
        await Task.Delay(roundTrip);
        Interlocked.Increment(ref _reservations);
        return await _numbers.Reserve(counter, count);
    }
}
