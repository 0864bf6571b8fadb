namespace MarginGrid.Monitoring.Tests.Support;

/// <summary>The tests that share one silo and one Prometheus.</summary>
[CollectionDefinition(Name)]
public sealed class MonitoringCollection : ICollectionFixture<MonitoringStack>
{
    public const string Name = "monitoring stack";
}
