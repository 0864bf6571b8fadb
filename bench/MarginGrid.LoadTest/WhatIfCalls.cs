using System.Globalization;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using MarginGrid.LoadTest.Workload;

namespace MarginGrid.LoadTest;

/// <summary>
/// <c>POST /v1/accounts/{id}/what-if</c>, W a second, open loop, on random accounts: half a −5% shock on one market the
/// account holds, half a hypothetical fill of one lot there at the market's newest mark. A call counts as completed only
/// when answered 200 with <c>"hypothetical": true</c>; anything else is an error.
/// </summary>
public sealed class WhatIfCalls(HttpClient client, TickDriver driver, IReadOnlyList<string> accounts, IReadOnlyList<LoadMarket[]> held, int seed)
{
    /// <summary>At most this many calls outstanding.</summary>
    public const int MaxInFlight = 256;

    private readonly Random _random = new(seed);
    private long _completed;
    private long _errors;

    public LatencyRecorder Latency { get; } = new();

    public long Completed => Interlocked.Read(ref _completed);

    public long Errors => Interlocked.Read(ref _errors);

    public OpenLoopPacer? Pacer { get; private set; }

    public Task Run(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        Pacer = new OpenLoopPacer(perSecond, MaxInFlight);
        return Pacer.Run(duration, client.Timeout, () =>
        {
            var k = _random.Next(accounts.Count);
            var markets = held[k];
            var market = markets[_random.Next(markets.Length)];
            var body = _random.Next(2) == 0 ? Shock(market) : Fill(market, _random.Next(2) == 0 ? "buy" : "sell");
            var account = accounts[k];
            return intended => Call(account, body, intended, cancellationToken);
        }, cancellationToken);
    }

    private static string Shock(LoadMarket market) => $$$"""{"shocks":{"{{{market.Symbol}}}":"-0.05"}}""";

    private string Fill(LoadMarket market, string side)
    {
        var mark = driver.NewestMark(market.Symbol);
        return $$$"""{"fills":[{"symbol":"{{{market.Symbol}}}","side":"{{{side}}}","quantity":"{{{Money(market.Definition.LotSize)}}}","price":"{{{Money(mark)}}}","fee":"0"}]}""";
    }

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task Call(string account, string body, long intended, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, MediaTypeNames.Application.Json);
            using var response = await client.PostAsync(new Uri($"v1/accounts/{Uri.EscapeDataString(account)}/what-if", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || !IsHypothetical(answer))
            {
                Interlocked.Increment(ref _errors);
                return;
            }

            Latency.RecordSince(intended);
            Interlocked.Increment(ref _completed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    private static bool IsHypothetical(byte[] answer)
    {
        try
        {
            using var view = JsonDocument.Parse(answer);
            return view.RootElement.ValueKind == JsonValueKind.Object
                && view.RootElement.TryGetProperty("hypothetical", out var flag) && flag.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
