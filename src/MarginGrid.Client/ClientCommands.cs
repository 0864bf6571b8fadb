using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Client;

/// <summary>The operator's commands: each prints one JSON document.</summary>
public static class ClientCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public const string Usage = """
        usage: margingrid-client [--gateway PORT] <command>
          account <accountId>                          live margin of an account
          liquidations [--account ID] [--symbol S] [--limit N]   liquidation records, oldest first
          market <symbol>                              a market: definition, marks, funding
        """;

    public static async Task<int> Run(IClusterClient client, string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        switch (args)
        {
            case ["account", var id]:
                await Print(output, await client.GetGrain<IAccountGrain>(id).GetMargin());
                return 0;
            case ["market", var symbol]:
                var market = await client.GetGrain<IMarketGrain>(symbol).Get();
                if (market is null)
                {
                    await output.WriteLineAsync($"There is no market {symbol}.");
                    return 2;
                }

                await Print(output, market);
                return 0;
            case ["liquidations", .. var rest]:
                var account = Option(rest, "--account");
                var limit = int.TryParse(Option(rest, "--limit"), out var l) ? l : 20;
                var lists = await Task.WhenAll(Enumerable.Range(0, LiquidationPartitions.Count)
                    .Select(p => client.GetGrain<ILiquidationCoordinatorGrain>(p).List(Option(rest, "--symbol"), account, limit)));
                await Print(output, lists.SelectMany(x => x).OrderBy(r => r.StartedAt).TakeLast(limit));
                return 0;
            default:
                await output.WriteLineAsync(Usage);
                return 1;
        }
    }

    /// <summary>Takes <c>--gateway PORT</c> out of the arguments.</summary>
    public static (int Gateway, string[] Remaining) Gateway(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = Array.IndexOf(args, "--gateway");
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var port)
            ? (port, [.. args[..index], .. args[(index + 2)..]])
            : (30000, args);
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static Task Print<T>(TextWriter output, T value) => output.WriteLineAsync(JsonSerializer.Serialize(value, Json));
}
