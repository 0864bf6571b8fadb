using MarginGrid.Abstractions.Common;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace MarginGrid.Grid.Tests.Ledger;

/// <summary>
/// An unavailable ledger is answered to a caller on another silo: the exception must serialize whatever the
/// driver threw beneath it, or the reply itself fails and the client gets a 500 instead of a retryable 503.
/// </summary>
public sealed class UnavailableLedgerOnTheWireTests
{
    [Fact]
    public void An_outage_caused_by_a_driver_error_crosses_the_wire_as_itself()
    {
        using var services = new ServiceCollection().AddSerializer().AddGridExceptions().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var cause = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new EventLogUnavailableException("account:a", cause)));

        var unavailable = Assert.IsType<EventLogUnavailableException>(copy);
        Assert.Equal("account:a", unavailable.Stream);
        Assert.Contains("NpgsqlException: Exception while reading from stream", unavailable.Message, StringComparison.Ordinal);
    }
}
