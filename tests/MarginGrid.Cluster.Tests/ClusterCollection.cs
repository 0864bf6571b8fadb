namespace MarginGrid.Cluster.Tests;

/// <summary>One cluster of real processes at a time: two would fight over two cores and blur every figure.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "durable cluster";
}
