namespace MarginGrid.Grid.Tests.Infrastructure;

/// <summary>
/// Runs work one piece at a time, as a grain's activation does: awaits resume on the same exclusive scheduler,
/// so code that relies on grain scheduling (not thread-safe by design) is tested under the same rule.
/// </summary>
public sealed class GrainLikeScheduler
{
    private readonly TaskScheduler _exclusive = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;

    public Task Run(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, _exclusive).Unwrap();

    public Task<T> Run<T>(Func<Task<T>> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, _exclusive).Unwrap();
}
