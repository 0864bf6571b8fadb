using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace MarginGrid.LoadTest;

/// <summary>
/// S subscribers of <c>GET /v1/accounts/{id}/margin/stream?intervalMs=100</c> on random accounts with positions, for the
/// run window. The lag of a mark is from when <c>AcceptMark</c> returned it to the arrival of the first frame on that
/// subscriber that carries its sequence, or a newer one, for that market. A subscriber's first frame per market only sets
/// where it starts; marks accepted before the run window are not counted.
/// </summary>
public sealed class SseSubscribers(HttpClient client, TickDriver driver, IReadOnlyList<string> accounts, int seed)
{
    /// <summary>The fastest the stream allows: frames at most every 100 ms, plus one on every level change.</summary>
    public const int IntervalMs = 100;

    private long _connected;
    private long _frames;
    private long _errors;

    public LatencyRecorder Lag { get; } = new();

    /// <summary>Subscribers whose stream was answered 200 (text/event-stream).</summary>
    public long Connected => Interlocked.Read(ref _connected);

    /// <summary><c>margin</c> frames received.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Subscriptions refused, or streams that broke before the end of the run.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Subscribes <paramref name="count"/> streams, reads them until <paramref name="duration"/> is over, then closes them.</summary>
    public async Task Run(int count, TimeSpan duration, long runStart, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var chosen = Enumerable.Range(0, count).Select(_ => accounts[random.Next(accounts.Count)]).ToList();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        await Task.WhenAll(chosen.Select(account => Task.Run(() => Subscribe(account, runStart, window.Token), CancellationToken.None))).ConfigureAwait(false);
    }

    private async Task Subscribe(string account, long runStart, CancellationToken end)
    {
        // Per market: the newest sequence this subscriber has had a frame for.
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var accepted = new List<long>();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"v1/accounts/{Uri.EscapeDataString(account)}/margin/stream?intervalMs={IntervalMs}", UriKind.Relative));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, end).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _errors);
                return;
            }

            Interlocked.Increment(ref _connected);
            await using var body = await response.Content.ReadAsStreamAsync(end).ConfigureAwait(false);
            using var lines = new StreamReader(body, Encoding.UTF8);
            string? eventName = null;
            var data = new StringBuilder();
            while (await lines.ReadLineAsync(end).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        eventName = line[6..].Trim();
                    }
                    else if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        // SSE: one optional space after the colon; several data lines join with a newline.
                        data.Append(data.Length > 0 ? "\n" : "").Append(line.AsSpan(line.StartsWith("data: ", StringComparison.Ordinal) ? 6 : 5));
                    }

                    continue;
                }

                // A blank line ends the event.
                if (eventName == "margin" && data.Length > 0)
                {
                    OnFrame(data.ToString(), Stopwatch.GetTimestamp(), runStart, seen, accepted);
                }

                eventName = null;
                data.Clear();
            }

            // The server closed the stream before the run ended.
            Interlocked.Increment(ref _errors);
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The run window is over.
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            if (!end.IsCancellationRequested)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }

    private void OnFrame(string json, long arrived, long runStart, Dictionary<string, long> seen, List<long> accepted)
    {
        Interlocked.Increment(ref _frames);
        using var view = JsonDocument.Parse(json);
        foreach (var position in view.RootElement.GetProperty("positions").EnumerateArray())
        {
            if (position.GetProperty("symbol").GetString() is not { } symbol
                || !position.TryGetProperty("markSequence", out var property)
                || driver.History(symbol) is not { } history)
            {
                continue;
            }

            var sequence = property.GetInt64();
            if (!seen.TryGetValue(symbol, out var before))
            {
                seen[symbol] = sequence;
                continue;
            }

            if (sequence <= before)
            {
                continue;
            }

            // Every mark this frame brings for the first time: its lag ends now. A mark the frame carries before
            // AcceptMark returned to the driver is not in the history yet, and is not counted.
            accepted.Clear();
            history.AcceptedBetween(before, sequence, runStart, accepted);
            foreach (var at in accepted)
            {
                Lag.RecordBetween(at, Math.Max(at, arrived));
            }

            seen[symbol] = sequence;
        }
    }
}
