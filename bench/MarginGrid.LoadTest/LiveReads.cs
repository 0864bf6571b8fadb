using System.Diagnostics;
using System.Text.Json;

namespace MarginGrid.LoadTest;

/// <summary>
/// <c>GET /v1/accounts/{id}/margin</c> on random accounts, R a second, open loop. Each answer's positions are checked
/// against the marks the tick driver saw accepted: a read that began at T is stale for a market when its position was
/// valued at an older mark than the newest one accepted at or before T − one tick interval.
/// </summary>
public sealed class LiveReads(HttpClient client, TickDriver driver, IReadOnlyList<string> accounts, TimeSpan tickInterval, int seed)
{
    /// <summary>At most this many reads outstanding; more in flight would only measure the harness's queue.</summary>
    public const int MaxInFlight = 256;

    private readonly Random _random = new(seed);
    private long _reads;
    private long _errors;
    private long _staleReads;
    private long _checkedPositions;

    public LatencyRecorder Latency { get; } = new();

    /// <summary>Reads answered 200 with a margin view.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Reads answered otherwise, failed, or timed out.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Reads in which some position was valued at a mark older than one accepted a tick interval before the read began.</summary>
    public long StaleReads => Interlocked.Read(ref _staleReads);

    /// <summary>Positions compared with a mark the driver had seen accepted a tick interval before the read began.</summary>
    public long CheckedPositions => Interlocked.Read(ref _checkedPositions);

    public OpenLoopPacer? Pacer { get; private set; }

    public Task Run(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        Pacer = new OpenLoopPacer(perSecond, MaxInFlight);
        return Pacer.Run(duration, client.Timeout, () =>
        {
            var account = accounts[_random.Next(accounts.Count)];
            return intended => Read(account, intended, cancellationToken);
        }, cancellationToken);
    }

    private async Task Read(string account, long intended, CancellationToken cancellationToken)
    {
        try
        {
            // The staleness check starts when the request is handed to the client, not at its intended time.
            var began = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri($"v1/accounts/{Uri.EscapeDataString(account)}/margin", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _errors);
                return;
            }

            // Latency from the intended send time, as for ticks: a late pacer counts against the server, never for it.
            Latency.RecordSince(intended);
            Interlocked.Increment(ref _reads);
            CheckMarks(body, began - (long)(tickInterval.TotalSeconds * Stopwatch.Frequency));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Interlocked.Increment(ref _errors);
        }
    }

    private void CheckMarks(byte[] body, long missedBy)
    {
        using var view = JsonDocument.Parse(body);
        var stale = false;
        foreach (var position in view.RootElement.GetProperty("positions").EnumerateArray())
        {
            var symbol = position.GetProperty("symbol").GetString();
            var newest = symbol is null ? 0 : driver.History(symbol)?.NewestAcceptedBy(missedBy) ?? 0;
            if (newest == 0)
            {
                continue;
            }

            Interlocked.Increment(ref _checkedPositions);

            // A view without markSequence (a server before it) counts as valued at no known mark.
            var valuedAt = position.TryGetProperty("markSequence", out var sequence) ? sequence.GetInt64() : 0;
            stale |= valuedAt < newest;
        }

        if (stale)
        {
            Interlocked.Increment(ref _staleReads);
        }
    }
}
