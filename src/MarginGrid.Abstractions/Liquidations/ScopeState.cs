using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>A scope as the coordinator sees it while liquidating.</summary>
[GenerateSerializer, Immutable, Alias("mg.ScopeState")]
public sealed record ScopeState(
    [property: Id(0)] ScopeKey Scope,
    [property: Id(1)] bool InBreach,
    [property: Id(2)] bool Stale,
    [property: Id(3)] decimal Balance,
    [property: Id(4)] decimal MarginBalance,
    [property: Id(5)] decimal MaintenanceMargin,
    [property: Id(6)] ImmutableArray<ScopePosition> Positions);
