using System.Text;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Places a stream in one of N ledger partitions: 64-bit FNV-1a over the UTF-8 bytes of its name, modulo N.
/// The function must never change (string.GetHashCode is randomised per process): a stream's partition is
/// where its events already are. Changing it, like changing N, is a migration of the data.
/// </summary>
public static class LedgerPartitioner
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The partition of <paramref name="stream"/> among <paramref name="partitions"/>.</summary>
    public static int PartitionOf(string stream, int partitions)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return partitions == 1 ? 0 : (int)(Hash(stream) % (ulong)partitions);
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of <paramref name="stream"/>.</summary>
    public static ulong Hash(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> small = stackalloc byte[256];
        var length = Encoding.UTF8.GetByteCount(stream);
        var bytes = length <= small.Length ? small[..length] : new byte[length];
        Encoding.UTF8.GetBytes(stream, bytes);
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash;
    }
}
