using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Abstractions.Liquidations;
using MarginGrid.Abstractions.Markets;
using MarginGrid.ClusterTls;

namespace MarginGrid.Client;

/// <summary>The operator's commands: each prints one JSON document.</summary>
public static class ClientCommands
{
    /// <summary>Money as decimal strings and enums as their contract words, as the HTTP API prints them, never JSON numbers.</summary>
    private static readonly JsonSerializerOptions MoneyJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new DecimalText(), ContractEnumWords() } };

    public const string Usage = """
        usage: margingrid-client [--redis CONNECTION [--cluster-id ID] [--service-id ID] | --gateway PORT] [--connect-timeout SECONDS]
                                 [--cert FILE [--key FILE] [--ca FILE]] <command>
          account <accountId>                          live margin of an account
          what-if <accountId> [--mark SYMBOL=PRICE] [--shock SYMBOL=S] [--fill SYMBOL:side:qty:price[:fee]]
                                                       margin after hypothetical fills, marks, shocks (each repeatable); stores nothing
          max-order <accountId> <symbol> <buy|sell> <price>   the largest quantity the pre-trade check accepts now
          liquidations [--account ID] [--symbol S] [--limit N] [--oldest] [--cursor C]
                                                       finished liquidations from the archive, newest first (--oldest: oldest
                                                       first), N of them (1 to 1000, default 20); --cursor C continues at a
                                                       page's nextCursor
          market <symbol>                              a market: definition, marks, funding
          reconcile                                    ledger reconciliation; exit code 3 when not exact
        The cluster is chosen as the silos are configured: each flag not given comes from the silo's environment variable.
        --redis (ConnectionStrings__Redis): a durable cluster, found through its Redis membership;
          --cluster-id (Orleans__ClusterId) and --service-id (Orleans__ServiceId), default "margingrid".
        --gateway (Orleans__GatewayPort): without Redis, a localhost cluster's gateway (default 30000, the embedded default).
        --connect-timeout (MARGINGRID_CONNECT_TIMEOUT): seconds to reach a gateway before giving up (default 15).
        The silo reached is named on standard error; the command's JSON (money as decimal strings) on standard output.
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
            case ["what-if", var id, .. var options]:
                return await WhatIf(client.GetGrain<IAccountGrain>(id), options, output);
            case ["max-order", var id, var symbol, var side, var price]:
                if (DecimalText.Parse(price) is not { } orderPrice)
                {
                    await output.WriteLineAsync($"'{price}' is not a decimal price.");
                    return 1;
                }

                if (!ContractWords.TryParse(side, out OrderSide orderSide))
                {
                    return await BadSide(output, side);
                }

                return await PrintResult(output, await client.GetGrain<IAccountGrain>(id).MaxOrder(symbol, orderSide, orderPrice));
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
                return await Liquidations(client, rest, output);
            case ["reconcile"]:
                var report = await client.GetGrain<IReconciliationGrain>("ledger").Run();
                await Print(output, report);
                return report.Exact ? 0 : 3;
            default:
                await output.WriteLineAsync(Usage);
                return 1;
        }
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

    private static async Task<int> Liquidations(IClusterClient client, string[] options, TextWriter output)
    {
        var limitText = Option(options, "--limit");
        var limit = 20;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > LiquidationQuery.MaxLimit))
        {
            await output.WriteLineAsync($"--limit is 1 to {LiquidationQuery.MaxLimit}.");
            return 1;
        }

        var query = new LiquidationQuery(Option(options, "--account"), Option(options, "--symbol"), null, null, options.Contains("--oldest"), null, limit);
        if (Option(options, "--cursor") is { } cursor)
        {
            if (!LiquidationCursor.TryDecode(cursor, query, out var position))
            {
                await output.WriteLineAsync("--cursor is not a cursor this listing issued for these filters and this order.");
                return 1;
            }

            query = query with { After = position };
        }

        var page = await client.GetGrain<ILiquidationHistoryGrain>(0).Page(query);
        await Print(output, new { page.Items, NextCursor = page.Next is { } next ? LiquidationCursor.Encode(query, next) : null });
        return 0;
    }

    private static async Task<int> WhatIf(IAccountGrain account, string[] options, TextWriter output)
    {
        var fills = ImmutableArray.CreateBuilder<HypotheticalFill>();
        var marks = ImmutableArray.CreateBuilder<MarkOverride>();
        var shocks = ImmutableArray.CreateBuilder<MarkShock>();
        for (var i = 0; i < options.Length; i += 2)
        {
            var value = i + 1 < options.Length ? options[i + 1] : "";
            var pair = value.Split('=');
            var parts = value.Split(':');
            switch (options[i])
            {
                case "--mark" when pair.Length == 2 && DecimalText.Parse(pair[1]) is { } price:
                    marks.Add(new MarkOverride(pair[0], price));
                    break;
                case "--shock" when pair.Length == 2 && DecimalText.Parse(pair[1]) is { } shock:
                    shocks.Add(new MarkShock(pair[0], shock));
                    break;
                case "--fill" when parts.Length is 4 or 5 && DecimalText.Parse(parts[2]) is { } quantity && DecimalText.Parse(parts[3]) is { } fillPrice:
                    var fee = parts.Length == 5 ? DecimalText.Parse(parts[4]) : 0m;
                    if (fee is null)
                    {
                        goto default;
                    }

                    if (!ContractWords.TryParse(parts[1], out OrderSide fillSide))
                    {
                        return await BadSide(output, parts[1]);
                    }

                    fills.Add(new HypotheticalFill(parts[0], fillSide, quantity, fillPrice, fee.Value));
                    break;
                default:
                    await output.WriteLineAsync($"Cannot read '{options[i]} {value}': use --mark SYMBOL=PRICE, --shock SYMBOL=S, --fill SYMBOL:side:qty:price[:fee].");
                    return 1;
            }
        }

        return await PrintResult(output, await account.WhatIf(new WhatIfRequest(fills.ToImmutable(), marks.ToImmutable(), shocks.ToImmutable())));
    }

    /// <summary>The contract's enums printed as the HTTP API prints them: "buy", "cross", "healthy".</summary>
    private static JsonStringEnumConverter ContractEnumWords() => new(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false);

    /// <summary>A side that is not "buy" or "sell" is refused as the grid refuses it (exit code 2).</summary>
    private static async Task<int> BadSide(TextWriter output, string side)
    {
        await output.WriteLineAsync($"invalid_argument: {ContractWords.BadSide(side)}");
        return 2;
    }

    /// <summary>Prints the value, or the refusal's code and why; exit code 2 when refused.</summary>
    private static async Task<int> PrintResult<T>(TextWriter output, CommandResult<T> result)
    {
        if (result.Error is { } error)
        {
            await output.WriteLineAsync($"{error.Code}: {error.Detail}");
            return 2;
        }

        await output.WriteLineAsync(JsonSerializer.Serialize(result.Value, MoneyJson));
        return 0;
    }

    private static Task Print<T>(TextWriter output, T value) => output.WriteLineAsync(JsonSerializer.Serialize(value, MoneyJson));
}
