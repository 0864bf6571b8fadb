namespace MarginGrid.Abstractions.Operations;

/// <summary>Which silo answered and what it runs: its silo and gateway addresses, the grid's version and build, and Orleans'.</summary>
[GenerateSerializer, Immutable, Alias("mg.SiloInfo")]
public sealed record SiloInfo(
    [property: Id(0)] string Silo,
    [property: Id(1)] string? Gateway,
    [property: Id(2)] string Version,
    [property: Id(3)] string Build,
    [property: Id(4)] string OrleansVersion,
    [property: Id(5)] DateTimeOffset StartedAt);
