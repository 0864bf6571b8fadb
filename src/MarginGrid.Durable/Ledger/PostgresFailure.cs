using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>How the ledger's PostgreSQL code tells an outage from a refused request.</summary>
public static class PostgresFailure
{
    /// <summary>
    /// The server or the network, not the request (connection lost, shutting down, out of resources): nothing
    /// can be known to have been applied, and the caller may try again.
    /// </summary>
    public static bool IsUnavailable(Exception error) => error switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };
}
