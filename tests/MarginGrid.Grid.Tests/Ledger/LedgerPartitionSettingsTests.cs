using MarginGrid.Durable.Ledger;
using Microsoft.Extensions.Configuration;

namespace MarginGrid.Grid.Tests.Ledger;

/// <summary>The ledger's databases as configured: one per partition, each named, none twice, none left over.</summary>
public sealed class LedgerPartitionSettingsTests
{
    private const string Zero = "Host=db0;Database=ledger";
    private const string One = "Host=db1;Database=ledger";
    private const string Two = "Host=db0;Database=ledger2";

    [Fact]
    public void One_connection_string_is_one_partition() =>
        Assert.Equal([Zero], LedgerPartitionSettings.ConnectionStrings(Settings(("ConnectionStrings:Ledger", Zero))));

    [Fact]
    public void Partitions_are_listed_in_order() =>
        Assert.Equal([Zero, One, Two], LedgerPartitionSettings.ConnectionStrings(Settings(
            ("Ledger:Partitions", "3"), ("ConnectionStrings:Ledger2", Two), ("ConnectionStrings:Ledger", Zero), ("ConnectionStrings:Ledger1", One))));

    [Theory]
    [InlineData("no ledger", new[] { "Ledger:Partitions=1" }, "The durable cluster needs ConnectionStrings:Ledger (environment: ConnectionStrings__Ledger)")]
    [InlineData("a missing partition", new[] { "Ledger:Partitions=3", "ConnectionStrings:Ledger=" + Zero, "ConnectionStrings:Ledger2=" + Two }, "Ledger:Partitions is 3, so ConnectionStrings:Ledger1 (environment: ConnectionStrings__Ledger1) must name the database of ledger partition 1")]
    [InlineData("a surplus partition", new[] { "ConnectionStrings:Ledger=" + Zero, "ConnectionStrings:Ledger1=" + One }, "ConnectionStrings:Ledger1 is set but Ledger:Partitions is 1")]
    [InlineData("a count that is no number", new[] { "Ledger:Partitions=two", "ConnectionStrings:Ledger=" + Zero }, "Ledger:Partitions (environment: Ledger__Partitions) is \"two\"")]
    [InlineData("a count of zero", new[] { "Ledger:Partitions=0", "ConnectionStrings:Ledger=" + Zero }, "it must be a whole number of ledger databases from 1 to 256")]
    [InlineData("one database twice", new[] { "Ledger:Partitions=2", "ConnectionStrings:Ledger=" + Zero, "ConnectionStrings:Ledger1=host=DB0;database=ledger;Username=other" }, "ConnectionStrings:Ledger and ConnectionStrings:Ledger1 name the same database")]
    public void A_wrong_configuration_is_refused_naming_the_setting(string wrong, string[] settings, string expected)
    {
        var configuration = Settings([.. settings.Select(s => (s[..s.IndexOf('=', StringComparison.Ordinal)], s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..]))]);

        var error = Assert.Throws<InvalidOperationException>(() => LedgerPartitionSettings.ConnectionStrings(configuration));

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{wrong}: {error.Message}");
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
