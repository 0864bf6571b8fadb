using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// An account's escalation of a scope in breach: the figures at breach and the marks (with their
/// sequence numbers) it was evaluated at, and the scope itself (<see cref="Snapshot"/>), so the coordinator
/// starts without reading it back. <see cref="BreachId"/> is the idempotency key of the escalation.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.BreachReport")]
public sealed record BreachReport(
    [property: Id(0)] string BreachId,
    [property: Id(1)] string AccountId,
    [property: Id(2)] ScopeKey Scope,
    [property: Id(3)] decimal MarginBalance,
    [property: Id(4)] decimal MaintenanceMargin,
    [property: Id(5)] ImmutableArray<MarkAtBreach> Marks,
    [property: Id(6)] DateTimeOffset DetectedAt,
    [property: Id(7)] ScopeState? Snapshot = null);
