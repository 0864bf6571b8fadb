namespace MarginGrid.Abstractions.Accounts;

/// <summary>A deposit of an account opening.</summary>
[GenerateSerializer, Immutable, Alias("mg.OpeningDeposit")]
public sealed record OpeningDeposit([property: Id(0)] string TransferId, [property: Id(1)] string Asset, [property: Id(2)] decimal Amount);
