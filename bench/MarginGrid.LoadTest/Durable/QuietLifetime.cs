using Microsoft.Extensions.Hosting;

namespace MarginGrid.LoadTest.Durable;

/// <summary>
/// The client host's lifetime without the console's signal handling: Ctrl+C and SIGTERM are the load test's to handle
/// (it ends the processes it started, then exits); the console lifetime would hold the process up stopping the client.
/// </summary>
public sealed class QuietLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
