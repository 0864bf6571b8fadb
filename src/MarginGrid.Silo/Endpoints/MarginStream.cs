using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Markets;
using MarginGrid.Silo.Api;
using Orleans.Streams;

namespace MarginGrid.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/accounts/{id}/margin/stream</c>: Server-Sent Events of the live margin, each frame computed at
/// the newest marks when it is sent. A snapshot on subscribe; then a frame at once on every change of level
/// (the margin-level stream), and otherwise whenever a held market's mark moves in this silo's mark table, or
/// the account's own figures change, at most one every <c>intervalMs</c> (100 to 60,000; default 1,000).
/// Streams are capped per API key and per silo (<see cref="ApiLimits"/>); past a cap the answer is 429.
/// </summary>
public static class MarginStream
{
    public static async Task Serve(string accountId, HttpContext http, IClusterClient client, MarketDirectory marks, StreamSlots slots, string? intervalMs)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(marks);
        if (AccountEndpoints.Read(accountId, http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }

        if (!QueryNumber.TryRead(intervalMs, 100, 60_000, out var interval))
        {
            await Problems.BadRequest("invalid_interval", "'intervalMs' is 100 to 60000.").ExecuteAsync(http);
            return;
        }

        var account = client.GetGrain<IAccountGrain>(accountId);
        var margin = await account.GetMargin();
        if (margin.Version == 0)
        {
            await Problems.NotFound("unknown_account", $"Account {accountId} has no history.").ExecuteAsync(http);
            return;
        }

        // The slot is the presented key's digest: the key itself is not kept, and every key counts apart.
        var slot = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(http.Request.Headers["X-Api-Key"].ToString())));
        if (!slots.TryTake(slot))
        {
            await Problems.Problem(StatusCodes.Status429TooManyRequests, "too_many_streams",
                "This key, or this silo, has as many margin streams open as it may; close one first.").ExecuteAsync(http);
            return;
        }

        try
        {
            await Stream(accountId, http, client, marks, margin, TimeSpan.FromMilliseconds(interval ?? 1000));
        }
        finally
        {
            slots.Release(slot);
        }
    }

    private static readonly byte[] FramePrefix = "event: margin\ndata: "u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    /// <summary>
    /// What a view's figures follow from: the account's version, its level, and per position the mark it was
    /// valued at and its ADL quantile. The same key means the same figures, so a frame is sent only on a change
    /// without serializing the view twice.
    /// </summary>
    private static string ChangeKey(AccountMarginView margin)
    {
        var key = new StringBuilder().Append(margin.Version).Append('|').Append(margin.Level);
        foreach (var p in margin.Positions)
        {
            key.Append('|').Append(p.Symbol).Append(':').Append(p.MarkSequence).Append(':').Append(p.AdlQuantile).Append(':').Append(p.MarkStale);
        }

        return key.ToString();
    }

    private static async Task Stream(string accountId, HttpContext http, IClusterClient client, MarketDirectory marks, AccountMarginView margin, TimeSpan interval)
    {
        var account = client.GetGrain<IAccountGrain>(accountId);
        var aborted = http.RequestAborted;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var levelChanged = new SemaphoreSlim(0);
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<LevelChange>(StreamId.Create(StreamNames.MarginLevels, accountId));
        var subscription = await stream.SubscribeAsync((_, _) => { levelChanged.Release(); return Task.CompletedTask; });
        try
        {
            string? last = null;
            var sentAt = TimeProvider.System.GetTimestamp();
            Task<bool>? level = null;
            while (!aborted.IsCancellationRequested)
            {
                var key = ChangeKey(margin);
                if (key != last)
                {
                    await http.Response.Body.WriteAsync(FramePrefix, aborted);
                    await http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(margin, GridJson.Options), aborted);
                    await http.Response.Body.WriteAsync(FrameEnd, aborted);
                    await http.Response.Body.FlushAsync(aborted);
                    last = key;
                    sentAt = TimeProvider.System.GetTimestamp();
                }

                // Wake on a level change (at once), on a new mark of any held market, or at the interval (the
                // account's own changes: fills, transfers). One wait on the semaphore at a time, so none is lost.
                level ??= levelChanged.WaitAsync(interval, aborted);
                if (await Task.WhenAny([level, .. margin.Positions.Select(p => marks.NextMark(p.Symbol))]) == level)
                {
                    level = null;
                }
                else if (interval - TimeProvider.System.GetElapsedTime(sentAt) is { Ticks: > 0 } wait
                    && await Task.WhenAny(level, Task.Delay(wait, aborted)) == level)
                {
                    // A new mark waits out the interval since the last frame, unless the level changes meanwhile.
                    level = null;
                }

                margin = await account.GetMargin();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            await subscription.UnsubscribeAsync();
        }
    }
}
