using System.Text.Json;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Silo.Api;
using Orleans.Streams;

namespace MarginGrid.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/accounts/{id}/margin/stream</c>: Server-Sent Events. A snapshot on subscribe, an event at once
/// on every change of level (from the margin-level stream), and otherwise at most one every
/// <c>intervalMs</c> (default 1000) while the margin changes.
/// </summary>
public static class MarginStream
{
    public static async Task Serve(string accountId, HttpContext http, IClusterClient client, int? intervalMs)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        if (AccountEndpoints.Read(accountId, http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }

        var interval = TimeSpan.FromMilliseconds(Math.Clamp(intervalMs ?? 1000, 100, 60_000));
        var aborted = http.RequestAborted;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var account = client.GetGrain<IAccountGrain>(accountId);
        var levelChanged = new SemaphoreSlim(0);
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<LevelChange>(StreamId.Create(StreamNames.MarginLevels, accountId));
        var subscription = await stream.SubscribeAsync((_, _) => { levelChanged.Release(); return Task.CompletedTask; });
        try
        {
            string? last = null;
            while (!aborted.IsCancellationRequested)
            {
                var margin = await account.GetMargin();
                var json = JsonSerializer.Serialize(margin with { AsOf = default }, GridJson.Options);
                if (json != last)
                {
                    await http.Response.WriteAsync($"event: margin\ndata: {JsonSerializer.Serialize(margin, GridJson.Options)}\n\n", aborted);
                    await http.Response.Body.FlushAsync(aborted);
                    last = json;
                }

                await levelChanged.WaitAsync(interval, aborted);
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
