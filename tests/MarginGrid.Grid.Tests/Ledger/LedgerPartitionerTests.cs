using MarginGrid.Durable.Ledger;

namespace MarginGrid.Grid.Tests.Ledger;

/// <summary>
/// The stream placement is fixed forever: these hashes and partitions are where existing ledgers keep their
/// streams, so a change of hash function (or of its byte encoding) must fail here.
/// </summary>
public sealed class LedgerPartitionerTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("account:alice", 0x71fc29c38c6704c2UL)]
    [InlineData("fund:USDT", 0xf3ff37fe889e0390UL)]
    [InlineData("account:ünïcode", 0xb22ed887dccfab0aUL)]
    public void The_hash_is_64_bit_FNV_1a_over_UTF_8(string stream, ulong expected) =>
        Assert.Equal(expected, LedgerPartitioner.Hash(stream));

    [Theory]
    [InlineData("account:alice", 0, 1, 2, 2)]
    [InlineData("account:bob", 1, 1, 1, 5)]
    [InlineData("fund:USDT", 0, 0, 0, 0)]
    [InlineData("account:trader-0001", 0, 1, 2, 6)]
    [InlineData("account:trader-0002", 1, 0, 3, 3)]
    [InlineData("account:trader-0003", 0, 2, 0, 0)]
    [InlineData("shard:BTC-PERP", 0, 1, 0, 4)]
    public void Known_streams_land_in_known_partitions(string stream, int ofTwo, int ofThree, int ofFour, int ofEight)
    {
        Assert.Equal(0, LedgerPartitioner.PartitionOf(stream, 1));
        Assert.Equal(ofTwo, LedgerPartitioner.PartitionOf(stream, 2));
        Assert.Equal(ofThree, LedgerPartitioner.PartitionOf(stream, 3));
        Assert.Equal(ofFour, LedgerPartitioner.PartitionOf(stream, 4));
        Assert.Equal(ofEight, LedgerPartitioner.PartitionOf(stream, 8));
    }

    [Fact]
    public void A_long_name_hashes_like_a_short_one_of_the_same_bytes()
    {
        var name = "account:" + new string('x', 1000);
        var expected = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            expected = unchecked((expected ^ b) * 1099511628211UL);
        }

        Assert.Equal(expected, LedgerPartitioner.Hash(name));
    }

    [Fact]
    public void Accounts_spread_over_every_partition()
    {
        var counts = new int[4];
        for (var i = 0; i < 4000; i++)
        {
            counts[LedgerPartitioner.PartitionOf($"account:trader-{i:D5}", 4)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void A_partition_count_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerPartitioner.PartitionOf("account:alice", 0));
}
