namespace MarginGrid.Grid.Tests.Cluster;

/// <summary>
/// Once armed, answers the next <c>Escalate</c> calls as accepted without letting them reach the coordinator:
/// what an account sees when the coordinator accepted its breach and then lost its state (Redis lost the write).
/// </summary>
public sealed class LostEscalations : IOutgoingGrainCallFilter
{
    private int _left;
    private int _lost;

    public int Lost => Volatile.Read(ref _lost);

    public void Arm(int calls) => Volatile.Write(ref _left, calls);

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.MethodName == "Escalate" && context.TargetId.Type.ToString().StartsWith("liquidationcoordinator", StringComparison.Ordinal)
            && Interlocked.Decrement(ref _left) >= 0)
        {
            Interlocked.Increment(ref _lost);
            context.Result = "L-lost";
            return Task.CompletedTask;
        }

        return context.Invoke();
    }
}
