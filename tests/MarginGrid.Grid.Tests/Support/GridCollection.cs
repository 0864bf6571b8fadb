namespace MarginGrid.Grid.Tests.Support;

/// <summary>One silo host for every API test class.</summary>
[CollectionDefinition(Name)]
public sealed class GridCollection : ICollectionFixture<GridApp>
{
    public const string Name = "grid";
}
