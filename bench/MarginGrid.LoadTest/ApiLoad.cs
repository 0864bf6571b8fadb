using System.Security.Cryptography;
using MarginGrid.LoadTest.Workload;

namespace MarginGrid.LoadTest;

/// <summary>
/// The clients of the loopback HTTP API during the measured run: live reads, SSE subscribers and what-if calls, each
/// only when asked for (<c>--readers</c>, <c>--sse</c>, <c>--what-if</c>). They stop by themselves at the end of the run
/// window; disposing closes their connections.
/// </summary>
public sealed class ApiLoad : IDisposable
{
    /// <summary>How long one read or what-if call may take before it counts as an error.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly LoadTestOptions _options;
    private readonly List<HttpClient> _clients = [];

    public ApiLoad(Uri api, string readerKey, TickDriver driver, IReadOnlyList<string> accounts, IReadOnlyList<LoadMarket[]> held, LoadTestOptions options, TimeSpan tickInterval)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;

        // Seeds of their own: the workload's random (marks, shocks, funding) draws the same numbers as a run without them.
        if (options.ReadersPerSecond > 0)
        {
            Reads = new LiveReads(Client(api, readerKey, LiveReads.MaxInFlight, CallTimeout), driver, accounts, tickInterval, options.Seed + 101);
        }

        if (options.SseSubscribers > 0)
        {
            var withPositions = Enumerable.Range(0, accounts.Count).Where(k => held[k].Length > 0).Select(k => accounts[k]).ToList();
            Sse = new SseSubscribers(Client(api, readerKey, options.SseSubscribers, Timeout.InfiniteTimeSpan), driver, withPositions, options.Seed + 102);
        }

        if (options.WhatIfPerSecond > 0)
        {
            WhatIf = new WhatIfCalls(Client(api, readerKey, WhatIfCalls.MaxInFlight, CallTimeout), driver, accounts, held, options.Seed + 103);
        }
    }

    public LiveReads? Reads { get; }

    public SseSubscribers? Sse { get; }

    public WhatIfCalls? WhatIf { get; }

    /// <summary>A reader key for this run only (the API asks for at least 32 characters of a key).</summary>
    public static string NewReaderKey() => "loadtest-reader-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    /// <summary>Runs every client asked for, for <paramref name="duration"/> from now; <paramref name="runStart"/> is the run window's start (a Stopwatch timestamp).</summary>
    public Task Run(TimeSpan duration, long runStart, CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        if (Reads is not null)
        {
            running.Add(Reads.Run(_options.ReadersPerSecond, duration, cancellationToken));
        }

        if (Sse is not null)
        {
            running.Add(Sse.Run(_options.SseSubscribers, duration, runStart, cancellationToken));
        }

        if (WhatIf is not null)
        {
            running.Add(WhatIf.Run(_options.WhatIfPerSecond, duration, cancellationToken));
        }

        return Task.WhenAll(running);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _clients.Clear();
    }

    private HttpClient Client(Uri api, string readerKey, int connections, TimeSpan timeout)
    {
        var client = ApiClients.Create(api, readerKey, connections, timeout);
        _clients.Add(client);
        return client;
    }
}
