namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// Fails the next <c>Deliver</c> calls to one market shard, once armed, as a silo that just died fails them
/// before membership has said so: the caller hears <see cref="SiloUnavailableException"/>.
/// </summary>
public sealed class FailingShardDeliveries(string shardKey) : IOutgoingGrainCallFilter
{
    private int _left;
    private int _failed;

    public int Failed => Volatile.Read(ref _failed);

    public void Arm(int failures) => Volatile.Write(ref _left, failures);

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.MethodName == "Deliver" && context.TargetId.Key.ToString() == shardKey
            && context.TargetId.Type.ToString().StartsWith("marketshard", StringComparison.Ordinal)
            && Interlocked.Decrement(ref _left) >= 0)
        {
            Interlocked.Increment(ref _failed);
            throw new SiloUnavailableException($"test: delivery to shard {shardKey} lost");
        }

        return context.Invoke();
    }
}
