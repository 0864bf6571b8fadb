using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// Clients that write (1 USDT deposits, each with its own transfer id) and read (margin views) over HTTP to
/// every silo in turn, including one that is stopping or starting. A deposit whose outcome is unknown (a 503,
/// a 500, a dropped connection) is sent again with the same id, to the next silo, until it is definite; each
/// acknowledged deposit is counted in a model of what every account must hold. Whatever the clients see that a
/// venue client must not (a 500, a 503 without Retry-After, any other status) is kept to be asserted.
/// </summary>
public sealed class RollingTraffic(DurableCluster cluster, IReadOnlyList<string> accounts, string tag)
{
    private static readonly TimeSpan UntilDefinite = TimeSpan.FromMinutes(3);

    // A steady client, not a load test: on two shared cores, flat-out loops would starve the restarting silo.
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, int> _acknowledged = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _next;
    private int _deposits;
    private int _unavailable;
    private int _resends;
    private int _replays;
    private int _reads;

    /// <summary>Acknowledged deposits per account (each 1 USDT).</summary>
    public IReadOnlyDictionary<string, int> Acknowledged => _acknowledged;

    public int AcknowledgedTotal => _acknowledged.Values.Sum();

    /// <summary>Every 500, every 503 without Retry-After and every other unexpected answer, with its body.</summary>
    public IReadOnlyCollection<string> Violations => _violations;

    public int Unavailable => _unavailable;

    public int Resends => _resends;

    public int Replays => _replays;

    public int Reads => _reads;

    /// <summary>Deposits until stopped; the one in flight when stopped is still driven until definite.</summary>
    public async Task Write(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _deposits);
            var account = accounts[n % accounts.Count];
            await Deposit(account, $"{tag}-{n}");
            await Task.Delay(Pace, CancellationToken.None);
        }
    }

    /// <summary>Margin reads until stopped: only 200, or a 503 with Retry-After, is acceptable.</summary>
    public async Task Read(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var silo = NextSilo();
            var account = accounts[Random.Shared.Next(accounts.Count)];
            try
            {
                using var response = await silo.Http.GetAsync($"/v1/accounts/{account}/margin", stop);
                Interlocked.Increment(ref _reads);
                await Judge(response, $"GET margin {account} on silo {silo.Number}");
                await Task.Delay(Pace, CancellationToken.None);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or ObjectDisposedException)
            {
                // The silo is down or restarting: a refused connection is not an answer.
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private async Task Deposit(string account, string transferId)
    {
        var body = new { transferId, asset = "USDT", amount = "1" };
        var deadline = DateTime.UtcNow + UntilDefinite;
        for (var attempt = 0; ; attempt++)
        {
            if (DateTime.UtcNow > deadline)
            {
                _violations.Enqueue($"deposit {transferId} to {account} still not definite after {UntilDefinite.TotalMinutes:0} min");
                return;
            }

            if (attempt > 0)
            {
                Interlocked.Increment(ref _resends);
                await Task.Delay(100);
            }

            var silo = NextSilo();
            try
            {
                using var response = await silo.Http.PostAsJsonAsync($"/v1/accounts/{account}/deposits", body);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (response.Headers.Contains("Idempotent-Replayed"))
                    {
                        Interlocked.Increment(ref _replays);
                    }

                    _acknowledged.AddOrUpdate(account, 1, (_, count) => count + 1);
                    return;
                }

                if (!await Judge(response, $"deposit {transferId} on silo {silo.Number}"))
                {
                    // A definite refusal: not acknowledged, and not to be sent again.
                    return;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or ObjectDisposedException)
            {
                // Outcome unknown: the same id again, on the next silo.
            }
        }
    }

    /// <summary>Records what must not happen; true when the answer is a retryable 503 (or a 500, sent again to see it through).</summary>
    private async Task<bool> Judge(HttpResponseMessage response, string what)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                return false;
            case HttpStatusCode.ServiceUnavailable:
                Interlocked.Increment(ref _unavailable);
                if (response.Headers.RetryAfter is null)
                {
                    _violations.Enqueue($"{what}: 503 without Retry-After: {await response.Content.ReadAsStringAsync()}");
                }

                return true;
            case HttpStatusCode.InternalServerError:
                _violations.Enqueue($"{what}: 500: {await response.Content.ReadAsStringAsync()}");
                return true;
            default:
                _violations.Enqueue($"{what}: {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return false;
        }
    }

    private SiloNode NextSilo()
    {
        var silos = cluster.Silos;
        return silos[(int)((uint)Interlocked.Increment(ref _next) % silos.Count)];
    }
}
