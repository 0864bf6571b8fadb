using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Which databases hold the ledger: <c>Ledger:Partitions</c> (N, default 1) and one connection string per
/// partition, <c>ConnectionStrings:Ledger</c> for partition 0 and <c>ConnectionStrings:Ledger1</c> ..
/// <c>Ledger{N-1}</c> for the others. Checked as the silo starts: a missing, surplus or repeated database
/// is refused with the setting named, since a stream routed to the wrong database is a stream not found.
/// </summary>
public static partial class LedgerPartitionSettings
{
    public const string CountKey = "Ledger:Partitions";
    public const int MaxPartitions = 256;

    /// <summary>The connection string of each partition, partition 0 first.</summary>
    public static IReadOnlyList<string> ConnectionStrings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var count = Count(configuration);
        var strings = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var name = Name(i);
            strings.Add(configuration.GetConnectionString(name) is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException(i == 0
                    ? "The durable cluster needs ConnectionStrings:Ledger (environment: ConnectionStrings__Ledger), the ledger's partition 0."
                    : $"{CountKey} is {count}, so ConnectionStrings:{name} (environment: ConnectionStrings__{name}) must name the database of ledger partition {i}."));
        }

        foreach (var setting in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            var numbered = SurplusName().Match(setting.Key);
            if (numbered.Success && int.Parse(numbered.Groups[1].Value, CultureInfo.InvariantCulture) >= count)
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{setting.Key} is set but {CountKey} is {count}: set {CountKey} (environment: Ledger__Partitions) to the number of ledger databases, or remove the surplus connection string.");
            }
        }

        var databases = strings.Select(Database).ToList();
        for (var i = 1; i < count; i++)
        {
            var first = databases.IndexOf(databases[i]);
            if (first < i)
            {
                throw new InvalidOperationException(
                    $"ConnectionStrings:{Name(first)} and ConnectionStrings:{Name(i)} name the same database ({databases[i]}); each ledger partition needs its own.");
            }
        }

        return strings;
    }

    /// <summary>The connection-string name of partition <paramref name="index"/>.</summary>
    public static string Name(int index) => index == 0 ? "Ledger" : string.Create(CultureInfo.InvariantCulture, $"Ledger{index}");

    private static int Count(IConfiguration configuration)
    {
        var text = configuration[CountKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxPartitions
            ? count
            : throw new InvalidOperationException($"{CountKey} (environment: Ledger__Partitions) is \"{text}\"; it must be a whole number of ledger databases from 1 to {MaxPartitions}.");
    }

    /// <summary>Host, port and database name: what makes two connection strings the same database.</summary>
    private static string Database(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"{builder.Host?.ToUpperInvariant()}:{builder.Port}/{builder.Database}");
    }

    [GeneratedRegex("^Ledger([0-9]{1,6})$", RegexOptions.CultureInvariant)]
    private static partial Regex SurplusName();
}
