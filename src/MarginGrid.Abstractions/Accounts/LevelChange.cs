namespace MarginGrid.Abstractions.Accounts;

/// <summary>An account's worst margin level changed; published on the margin-level stream.</summary>
[GenerateSerializer, Immutable, Alias("mg.LevelChange")]
public sealed record LevelChange(
    [property: Id(0)] string AccountId,
    [property: Id(1)] RiskLevel From,
    [property: Id(2)] RiskLevel To,
    [property: Id(3)] DateTimeOffset At);
