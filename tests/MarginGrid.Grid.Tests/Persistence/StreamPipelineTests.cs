using MarginGrid.Grains.Markets;
using MarginGrid.Grains.Persistence;
using MarginGrid.Grid.Tests.Infrastructure;

namespace MarginGrid.Grid.Tests.Persistence;

/// <summary>
/// Group commit inside one grain: what is decided while an append is in flight goes into the next append, each
/// caller is released only when its own batch is durable, and after a failed append nothing more reaches the log.
/// Run under grain-like scheduling.
/// </summary>
public sealed class StreamPipelineTests
{
    private readonly GrainLikeScheduler _grain = new();

    [Fact]
    public async Task Events_decided_while_an_append_runs_share_the_next_append_and_each_waits_for_its_own()
    {
        var log = new GatedEventLog();
        var (stream, pipeline) = await Open(log);

        var first = await _grain.Run(() => Task.FromResult(pipeline.Append(Join("a"))));
        var (second, third) = await _grain.Run(() => Task.FromResult((pipeline.Append(Join("b")), pipeline.Append(Join("c")))));
        Assert.Equal([1], log.AppendSizes);
        Assert.False(first.IsCompleted || second.IsCompleted || third.IsCompleted);

        log.Open();
        await first;
        Assert.False(second.IsCompleted || third.IsCompleted);
        Assert.Equal(["a"], await _grain.Run(() => Task.FromResult(stream.State.Order().ToList())));

        log.Open();
        await Task.WhenAll(second, third);
        Assert.Equal([1, 2], log.AppendSizes);
        Assert.Equal(3, stream.Version);
        Assert.Equal(["a", "b", "c"], await _grain.Run(() => Task.FromResult(stream.State.Order().ToList())));
        Assert.Equal(1, pipeline.SharedAppends);
    }

    [Fact]
    public async Task A_failed_append_fails_its_batch_and_everything_after_it_without_reaching_the_log()
    {
        var log = new GatedEventLog { FailNext = true };
        var lost = 0;
        var stream = new EventStream<HashSet<string>>(log, "shard:test", new ShardRegistryFold(), snapshotEvery: 0, () => lost++);
        await _grain.Run(stream.Load);
        var pipeline = new StreamPipeline<HashSet<string>>(stream);

        var first = await _grain.Run(() => Task.FromResult(pipeline.Append(Join("a"))));
        var queued = await _grain.Run(() => Task.FromResult(pipeline.Append(Join("b"))));
        log.Open();

        await Assert.ThrowsAsync<EventLogUnavailableException>(() => first);
        await Assert.ThrowsAsync<EventLogUnavailableException>(() => queued);
        await Assert.ThrowsAsync<EventLogUnavailableException>(() => _grain.Run(() => pipeline.Append(Join("c"))));
        Assert.Equal([1], log.AppendSizes);
        Assert.Equal(1, lost);
        Assert.Equal(0, stream.Version);
        Assert.Empty(stream.State);
    }

    private async Task<(EventStream<HashSet<string>> Stream, StreamPipeline<HashSet<string>> Pipeline)> Open(GatedEventLog log)
    {
        var stream = new EventStream<HashSet<string>>(log, "shard:test", new ShardRegistryFold(), snapshotEvery: 0, () => { });
        await _grain.Run(stream.Load);
        return (stream, new StreamPipeline<HashSet<string>>(stream));
    }

    private static StoredEvent Join(string account) =>
        new(new HolderChange(account, Joined: true), new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
}
