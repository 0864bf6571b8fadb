using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.ClusterTls;

namespace MarginGrid.Client;

/// <summary>The operator's commands: each prints one JSON document.</summary>
public static class ClientCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public const string Usage = """
        usage: margingrid-client [--gateway PORT | --redis CONNECTION [--cluster-id ID]] [--cert FILE [--key FILE] [--ca FILE]] <command>
          account <accountId>                          live margin of an account
          liquidations [--account ID] [--symbol S] [--limit N]   liquidation records, oldest first
          market <symbol>                              a market: definition, marks, funding
          reconcile                                    ledger reconciliation; exit code 3 when not exact
        --gateway: a localhost cluster (the embedded default listens on 30000);
        --redis: a durable cluster, found through its Redis membership (cluster id default "margingrid").
        --cert, --key, --ca: the client certificate (PFX, or PEM with its key) and the cluster's CA (PEM) for the
          gateways' mutual TLS, which a durable cluster requires; default from the environment variables
          Orleans__Tls__CertificatePath, Orleans__Tls__KeyPath, Orleans__Tls__CaPath, Orleans__Tls__CertificatePassword.
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
            case ["reconcile"]:
                var report = await client.GetGrain<IReconciliationGrain>("ledger").Run();
                await Print(output, report);
                return report.Exact ? 0 : 3;
            default:
                await output.WriteLineAsync(Usage);
                return 1;
        }
    }

    /// <summary>Takes <c>--gateway PORT</c> out of the arguments.</summary>
    public static (int Gateway, string[] Remaining) Gateway(string[] args)
    {
        var (value, remaining) = Take(args, "--gateway");
        return int.TryParse(value, out var port) ? (port, remaining) : (30000, args);
    }

    /// <summary>
    /// Takes <c>--cert</c>, <c>--key</c> and <c>--ca</c> out of the arguments; each one not given comes from its
    /// environment variable (<c>Orleans__Tls__CertificatePath</c>, ...), as a silo reads them.
    /// </summary>
    public static (ClusterTlsSettings Tls, string[] Remaining) Tls(string[] args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (certificate, afterCertificate) = Take(args, "--cert");
        var (key, afterKey) = Take(afterCertificate, "--key");
        var (ca, remaining) = Take(afterKey, "--ca");
        var tls = new ClusterTlsSettings
        {
            CertificatePath = certificate ?? environment("Orleans__Tls__CertificatePath"),
            KeyPath = key ?? environment("Orleans__Tls__KeyPath"),
            CaPath = ca ?? environment("Orleans__Tls__CaPath"),
            CertificatePassword = environment("Orleans__Tls__CertificatePassword"),
        };
        return (tls, remaining);
    }

    /// <summary>Takes <c>NAME VALUE</c> out of the arguments; null when absent.</summary>
    public static (string? Value, string[] Remaining) Take(string[] args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            ? (args[index + 1], [.. args[..index], .. args[(index + 2)..]])
            : (null, args);
    }

    private static string? Option(string[] args, string name) => Take(args, name).Value;

    private static Task Print<T>(TextWriter output, T value) => output.WriteLineAsync(JsonSerializer.Serialize(value, Json));
}
