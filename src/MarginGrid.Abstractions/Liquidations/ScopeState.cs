using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// A scope as the coordinator sees it while liquidating: sent with the escalation and returned by every step,
/// so the coordinator never reads it back. <see cref="Version"/> is the account's version it was taken at
/// (a newer snapshot replaces an older one); the coordinator re-judges it at its silo's newest marks.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.ScopeState")]
public sealed record ScopeState(
    [property: Id(0)] ScopeKey Scope,
    [property: Id(1)] bool InBreach,
    [property: Id(2)] bool Stale,
    [property: Id(3)] decimal Balance,
    [property: Id(4)] decimal MarginBalance,
    [property: Id(5)] decimal MaintenanceMargin,
    [property: Id(6)] ImmutableArray<ScopePosition> Positions,
    [property: Id(7)] long Version = 0);
