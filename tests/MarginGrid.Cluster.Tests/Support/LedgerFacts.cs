using Npgsql;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// What the ledger database holds for a set of owners, summed over every partition: read straight from
/// PostgreSQL, beside the API, so that the fault tests compare three views of one balance with their model.
/// </summary>
public sealed class LedgerFacts(IReadOnlyList<string> ledgers)
{
    /// <summary>The one value a query returns, as a whole number (a count, a size), from one ledger database.</summary>
    public static async Task<long> Scalar(string ledger, string sql)
    {
        await using var connection = new NpgsqlConnection(ledger);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Per owner: the sum of the legs on its accounts of <paramref name="accountKind"/> in <paramref name="asset"/>, optionally of one entry kind.</summary>
    public Task<Dictionary<string, decimal>> EntrySums(string[] owners, string accountKind, string asset, string? entryKind = null) =>
        PerOwner("""
            SELECT owner, sum(amount) FROM mg_ledger_entries
            WHERE owner = ANY($1) AND account_kind = $2 AND asset = $3 AND ($4::text IS NULL OR entry_kind = $4)
            GROUP BY owner
            """, owners, accountKind, asset, entryKind);

    /// <summary>Per owner: its balance rows (the snapshot kept with the entries) of <paramref name="accountKind"/> in <paramref name="asset"/>.</summary>
    public Task<Dictionary<string, decimal>> BalanceRows(string[] owners, string accountKind, string asset) =>
        PerOwner("""
            SELECT owner, sum(balance) FROM mg_balances WHERE owner = ANY($1) AND account_kind = $2 AND asset = $3 GROUP BY owner
            """, owners, accountKind, asset);

    /// <summary>Per owner: how many distinct ledger transactions of <paramref name="transactionKind"/> touch its accounts.</summary>
    public Task<Dictionary<string, decimal>> Transactions(string[] owners, string transactionKind) =>
        PerOwner("""
            SELECT owner, count(DISTINCT transaction_id) FROM mg_ledger_entries
            WHERE owner = ANY($1) AND transaction_kind = $2
            GROUP BY owner
            """, owners, transactionKind);

    /// <summary>
    /// Per account: how many events of its stream carry a command key matching <paramref name="likePattern"/>
    /// (a settlement whose legs are all zero, a trader paid back to exactly 0, leaves no entry but is an event).
    /// </summary>
    public Task<Dictionary<string, decimal>> AccountEvents(string[] accounts, string likePattern) =>
        PerOwner("""
            SELECT substr(stream, 9), count(*) FROM mg_events
            WHERE stream = ANY(SELECT 'account:' || a FROM unnest($1::text[]) AS a) AND command_key LIKE $2
            GROUP BY stream
            """, accounts, likePattern);

    private async Task<Dictionary<string, decimal>> PerOwner(string sql, string[] owners, params string?[] texts)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var ledger in ledgers)
        {
            await using var connection = new NpgsqlConnection(ledger);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = owners });
            foreach (var text in texts)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            }

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var owner = reader.GetString(0);
                result[owner] = result.GetValueOrDefault(owner) + reader.GetDecimal(1);
            }
        }

        return result;
    }
}
