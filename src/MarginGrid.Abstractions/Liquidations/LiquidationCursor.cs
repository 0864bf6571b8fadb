using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// The opaque paging cursor of <c>GET /v1/liquidations</c>: the archive position a page ended at, the order
/// and a digest of the filters it was issued for, and a check value. A cursor that was altered, or is
/// reused with other filters or another order, is refused rather than read as some other position. The
/// check is not a secret: a forged cursor can only page through records its holder may read anyway.
/// </summary>
public static class LiquidationCursor
{
    private const byte Version = 1;
    private const int Length = 1 + 1 + 8 + 8 + 8;

    public static string Encode(LiquidationQuery query, long position)
    {
        ArgumentNullException.ThrowIfNull(query);
        var bytes = new byte[Length];
        bytes[0] = Version;
        bytes[1] = query.OldestFirst ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(2), position);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(10), FilterDigest(query));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(18), Check(bytes.AsSpan(0, 18)));
        return Text(bytes);
    }

    private static string Text(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The position a cursor continues after, when it is intact and was issued for these filters and this order.</summary>
    public static bool TryDecode(string cursor, LiquidationQuery query, out long position)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        ArgumentNullException.ThrowIfNull(query);
        position = 0;
        if (cursor.Length is 0 or > 64)
        {
            return false;
        }

        var text = cursor.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        var bytes = new byte[48];
        if (!Convert.TryFromBase64String(text, bytes, out var written) || written != Length || bytes[0] != Version)
        {
            return false;
        }

        // The last character carries two bits no byte uses: only the one spelling this encoder writes is a cursor.
        if (!string.Equals(Text(bytes.AsSpan(0, Length)), cursor, StringComparison.Ordinal))
        {
            return false;
        }

        var body = bytes.AsSpan(0, 18);
        if (BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(18)) != Check(body)
            || bytes[1] != (query.OldestFirst ? 1 : 0)
            || BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(10)) != FilterDigest(query))
        {
            return false;
        }

        position = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(2));
        return position > 0;
    }

    private static ulong FilterDigest(LiquidationQuery query) => Digest(
        $"{query.AccountId}\u001f{query.Symbol}\u001f{query.From?.UtcTicks}\u001f{query.To?.UtcTicks}");

    private static ulong Check(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        var input = new byte[body.Length + 16];
        "mg.liquidations."u8.CopyTo(input);
        body.CopyTo(input.AsSpan(16));
        SHA256.HashData(input, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static ulong Digest(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
