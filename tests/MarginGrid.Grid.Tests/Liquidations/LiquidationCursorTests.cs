using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grid.Tests.Liquidations;

/// <summary>A paging cursor is accepted only exactly as it was written: any other character anywhere is refused.</summary>
public sealed class LiquidationCursorTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Theory]
    [InlineData(1L)]
    [InlineData(134L)]
    [InlineData(262L)]
    [InlineData(long.MaxValue)]
    public void Every_single_character_change_of_a_cursor_is_refused(long position)
    {
        var query = new LiquidationQuery(null, "BTCUSDT", null, null, false, null, 2);
        var cursor = LiquidationCursor.Encode(query, position);
        Assert.True(LiquidationCursor.TryDecode(cursor, query, out var decoded));
        Assert.Equal(position, decoded);

        for (var i = 0; i < cursor.Length; i++)
        {
            foreach (var other in Alphabet.Where(c => c != cursor[i]))
            {
                var altered = cursor[..i] + other + cursor[(i + 1)..];
                Assert.False(LiquidationCursor.TryDecode(altered, query, out _), $"{altered} (position {i}) was accepted");
            }
        }
    }
}
