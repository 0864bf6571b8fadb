using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.LoadTest.Trading;

/// <summary>
/// Reads what the ledger holds for the trader's commands: through each account's ledger as the API lists it (its
/// trading-fee entries of the trader's fills: one per applied leg), and, on the durable cluster, straight from the
/// event log's per-command rows in PostgreSQL.
/// </summary>
public static class LedgerReader
{
    public static async Task<LedgerReading> FromAccounts(IGrainFactory grains, IEnumerable<string> accounts)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var rows = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var fees = new System.Collections.Concurrent.ConcurrentDictionary<string, decimal>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(accounts.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (account, _) =>
        {
            var prefix = $"fill:{FillTrader.IdPrefix}";
            var suffix = $"@{account}";
            for (long after = 0; ;)
            {
                var page = await grains.GetGrain<IAccountGrain>(account).GetLedger(after, 1_000);
                foreach (var entry in page)
                {
                    // The wallet's fee entry of a fill: one per applied leg (the transaction id is "fill:{id}@{account}").
                    if (entry.Kind == "TradingFee" && entry.TransactionId.StartsWith(prefix, StringComparison.Ordinal)
                        && entry.TransactionId.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        var command = entry.TransactionId[5..^suffix.Length];
                        rows.AddOrUpdate(command, 1, (_, n) => n + 1);
                        fees.AddOrUpdate(account, -entry.Amount, (_, f) => f - entry.Amount);
                    }
                }

                if (page.Length < 1_000)
                {
                    break;
                }

                after = page[^1].Sequence;
            }
        });
        return new LedgerReading(rows, fees);
    }

    /// <summary>The event log's rows per command key (<c>fill:{id}</c>) of the trader's commands, in every stream.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> RowsInPostgres(string connectionString)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT command_key, count(*) FROM mg_events WHERE command_key LIKE $1 GROUP BY command_key", connection);
        command.Parameters.AddWithValue($"fill:{FillTrader.IdPrefix}%");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)["fill:".Length..]] = (int)reader.GetInt64(1);
        }

        return rows;
    }
}
