using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// The HTTP API as a careful client uses it: round-robin over the silos that are up, and on an outage
/// (connection refused, 503, timeout) the same request again, with the same idempotency id, on the next silo,
/// until it is answered or the deadline passes. A 500 is a server bug, not an outage: it fails the test at
/// once, with its body, instead of being retried until it passes.
/// </summary>
public sealed class GridApi(Func<IReadOnlyList<SiloNode>> silos)
{
    private int _next;
    private int _retries;

    /// <summary>How many times a request had to be sent again because of an outage.</summary>
    public int Retries => _retries;

    public async Task<GridReply> Send(HttpMethod method, string path, object? body = null, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(120));
        var last = "";
        string? first = null;
        var attempts = 0;
        while (DateTime.UtcNow < until)
        {
            var live = silos().Where(s => s.Up).ToList();
            var silo = live[(int)((uint)Interlocked.Increment(ref _next) % live.Count)];
            attempts++;
            try
            {
                var (status, json, replayed) = await Attempt(silo, method, path, body);
                Assert.False(status == HttpStatusCode.InternalServerError, $"{method} {path}: 500 from silo {silo.Number}: {json}");
                if (status != HttpStatusCode.ServiceUnavailable)
                {
                    return new GridReply(status, json, replayed, attempts, first ?? $"{(int)status}");
                }

                last = $"{(int)status} from silo {silo.Number}: {json}";
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                last = $"silo {silo.Number}: {error.Message}";
            }

            first ??= last;
            Interlocked.Increment(ref _retries);
            await Task.Delay(250);
        }

        throw new TimeoutException($"{method} {path} not answered: {last}");
    }

    /// <summary>One attempt on one silo, no retry: what a client sees during an outage.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> Once(SiloNode silo, HttpMethod method, string path, object? body = null)
    {
        var (status, json, _) = await Attempt(silo, method, path, body);
        return (status, json);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, bool Replayed)> Attempt(SiloNode silo, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await silo.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true");
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), replayed);
    }

    public async Task<JsonElement> Ok(HttpMethod method, string path, object? body = null)
    {
        var (status, json) = await Send(method, path, body);
        Assert.True((int)status is >= 200 and < 300, $"{method} {path}: {(int)status} {json}");
        return json;
    }
}
