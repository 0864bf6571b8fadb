namespace MarginGrid.Abstractions.Accounts;

/// <summary>The answer of the pre-trade check.</summary>
[GenerateSerializer, Immutable, Alias("mg.OrderCheckView")]
public sealed record OrderCheckView(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] decimal RequiredInitialMargin,
    [property: Id(2)] decimal AvailableBalance,
    [property: Id(3)] string? Reason);
