using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// The live margin of an account, computed from the newest marks when it is read; <see cref="Hypothetical"/> when
/// it values a what-if state that was never stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.AccountMarginView")]
public sealed record AccountMarginView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] DateTimeOffset AsOf,
    [property: Id(2)] ImmutableArray<ScopeView> Scopes,
    [property: Id(3)] ImmutableArray<PositionView> Positions,
    [property: Id(4)] RiskLevel Level,
    [property: Id(5)] long Version,
    [property: Id(6)] bool Hypothetical = false);
